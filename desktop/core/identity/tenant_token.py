"""A customer-tenant token from the technician's (partner) sign-in, and why it can fail.

A GDAP technician signs in once, at the partner tenant. MSAL redeems that account's refresh
token at ``/{customer}/oauth2/v2.0/token`` (tenant-specific authority) for a token in a customer
tenant. ``acquire_token_silent`` swallows the error of that request and answers None, which
reads as "not signed in"; ``acquire_token_silent_with_error`` returns it, and
:func:`classify` sorts it into what the technician can do about it:

- :attr:`Problem.NOT_CONNECTED`: the sign-in app is not authorized in that tenant (90099 for
  a partner delegated admin, 65001 for others) → "Connect this tenant";
- :attr:`Problem.NO_ACCESS`: no GDAP relationship gives the account access there (50020);
- :attr:`Problem.CUSTOMER_POLICY`: MFA, Conditional Access, risk, cross-tenant access policy
  (50076, 53003, 530034, 500212, 500213 …) → what the customer's admin must change;
- :attr:`Problem.SIGN_IN_AGAIN`: the refresh token is gone (700082, 70008, 50173 …) → "Sign in";
- :attr:`Problem.NOT_SIGNED_IN`: no technician account on this computer → "Sign in";
- :attr:`Problem.UNAVAILABLE`: throttling, outage, network → try again later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.core.errors import UserError
from desktop.core.identity.tokens import aadsts_codes, first_line, is_transient


class Problem(StrEnum):
    """Why no customer-tenant token came, by what the technician does about it."""

    NOT_CONNECTED = "not_connected"
    #: The account is a stranger there: no GDAP relationship covers it (50020).
    NO_ACCESS = "no_access"
    CUSTOMER_POLICY = "customer_policy"
    SIGN_IN_AGAIN = "sign_in_again"
    NOT_SIGNED_IN = "not_signed_in"
    UNAVAILABLE = "unavailable"
    OTHER = "other"

    @property
    def action(self) -> str:
        """The button or command that fixes it ("" when nothing here can)."""
        return _ACTIONS.get(self, "")


_ACTIONS = {
    Problem.NOT_CONNECTED: "Connect this tenant",
    Problem.SIGN_IN_AGAIN: "Sign in",
    Problem.NOT_SIGNED_IN: "Sign in",
}

#: The sign-in app is not authorized in the tenant.
NOT_CONNECTED_CODES = frozenset({90099, 65001, 700016, 7000229, 90094, 90095})
#: The account does not exist in the tenant (no GDAP relationship, not a guest).
NO_ACCESS_CODES = frozenset({50020, 16000})
#: The customer's policies stop the token (MFA, Conditional Access, risk, cross-tenant access).
POLICY_CODES = frozenset(
    {50076, 50079, 50074, 50158, 53003, 53000, 53001, 530032, 530034, 500212, 500213, 500021}
)
#: The technician's refresh token no longer works: sign in again.
SIGN_IN_AGAIN_CODES = frozenset({700082, 70008, 70000, 50173, 50133, 50132, 50089, 50078})

#: What the customer's admin must change, by code.
_POLICY_WORDS: dict[int, str] = {
    50076: "requires multi-factor authentication for your account",
    50079: "requires you to register for multi-factor authentication",
    50074: "requires multi-factor authentication for your account",
    50158: "requires an external security challenge",
    53003: "blocks the token with a Conditional Access policy",
    53000: "requires a compliant or managed device (Conditional Access)",
    53001: "requires a domain-joined device (Conditional Access)",
    530032: "blocks the sign-in with security defaults or a policy",
    530034: "blocks your account because of sign-in risk",
    500212: "does not allow users of your tenant in its cross-tenant access policy",
    500213: "does not allow your tenant in its cross-tenant access policy (inbound)",
    500021: "restricts which tenants may be used (tenant restrictions)",
}


class TenantTokenError(UserError):
    """No customer-tenant token: which :class:`Problem`, for which tenant, and the codes."""

    def __init__(
        self,
        problem: Problem,
        tenant: str,
        message: str,
        *,
        remedy: str = "",
        detail: str = "",
        codes: tuple[int, ...] = (),
    ) -> None:
        super().__init__(message, remedy=remedy, detail=detail)
        self.problem = problem
        self.tenant = tenant
        self.codes = codes

    @property
    def action(self) -> str:
        return self.problem.action


@dataclass(frozen=True)
class TenantToken:
    """A technician's token in one tenant, and what it says about the technician there."""

    tenant_id: str
    access_token: str
    username: str
    #: Directory-role template IDs the technician holds there (the ``wids`` claim), directly
    #: or through GDAP.
    role_ids: frozenset[str]
    granted_scopes: frozenset[str] = frozenset()


def not_signed_in(tenant: str) -> TenantTokenError:
    return TenantTokenError(
        Problem.NOT_SIGNED_IN,
        tenant,
        "You are not signed in.",
        remedy="Sign in first (signin; your partner-tenant account works for GDAP customers).",
    )


def classify(result: Mapping[str, Any], tenant: str) -> TenantTokenError:
    """What a silent token request's error answer means for *tenant* (a label or ID)."""
    codes = aadsts_codes(result)
    detail = str(result.get("error_description", "")) or str(result.get("error", ""))
    correlation = str(result.get("correlation_id", ""))
    if correlation and correlation not in detail:
        detail = f"{detail} (correlation ID {correlation})"
    found = set(codes)
    if found & NOT_CONNECTED_CODES:
        code = 90099 if 90099 in found else min(found & NOT_CONNECTED_CODES)
        return TenantTokenError(
            Problem.NOT_CONNECTED,
            tenant,
            f"The sign-in app is not authorized in {tenant} (AADSTS{code}).",
            remedy="Connect this tenant: via Partner Center (GDAP) or admin consent by "
            "the customer's administrator.",
            detail=detail,
            codes=codes,
        )
    if found & NO_ACCESS_CODES:
        return TenantTokenError(
            Problem.NO_ACCESS,
            tenant,
            f"Your account has no access to {tenant}: no GDAP relationship gives it a role "
            "there (AADSTS50020).",
            remedy="Ask your partner administrator for a GDAP relationship with that "
            "customer, or sign in with an account of that tenant.",
            detail=detail,
            codes=codes,
        )
    if found & POLICY_CODES:
        code = min(found & POLICY_CODES, key=lambda c: (c not in _POLICY_WORDS, c))
        words = _POLICY_WORDS.get(code, "blocks the token with its policies")
        return TenantTokenError(
            Problem.CUSTOMER_POLICY,
            tenant,
            f"{tenant} {words} (AADSTS{code}).",
            remedy="Ask the customer's administrator to change that policy for your "
            "account (or your partner tenant).",
            detail=detail,
            codes=codes,
        )
    if found & SIGN_IN_AGAIN_CODES or str(result.get("suberror", "")) == "bad_token":
        code = min(found & SIGN_IN_AGAIN_CODES) if found & SIGN_IN_AGAIN_CODES else 0
        tag = f" (AADSTS{code})" if code else ""
        return TenantTokenError(
            Problem.SIGN_IN_AGAIN,
            tenant,
            f"Your sign-in has expired or was revoked{tag}.",
            remedy="Sign in again.",
            detail=detail,
            codes=codes,
        )
    if is_transient(result):
        return TenantTokenError(
            Problem.UNAVAILABLE,
            tenant,
            f"Microsoft could not issue a token for {tenant} right now.",
            remedy="Try again later.",
            detail=detail,
            codes=codes,
        )
    text = first_line(str(result.get("error_description", ""))) or str(result.get("error", ""))
    return TenantTokenError(
        Problem.OTHER,
        tenant,
        f"No token for {tenant}: {text or 'Microsoft refused it'}.",
        remedy="Open the details for the error code.",
        detail=detail,
        codes=codes,
    )


def unavailable(tenant: str, error: BaseException) -> TenantTokenError:
    """A network failure or 5xx on the way to the token (never a verdict on the tenant)."""
    message = error.message if isinstance(error, UserError) else str(error)
    return TenantTokenError(
        Problem.UNAVAILABLE,
        tenant,
        f"Microsoft could not be reached for a token in {tenant}.",
        remedy="Check the connection and try again.",
        detail=message,
    )
