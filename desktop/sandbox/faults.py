"""Errors the sandbox's token endpoint answers with, worded and coded as Microsoft does.

A :class:`Fault` is one injected failure: which requests it hits (tenant, app, user, grant
type), what it answers, and how many times. :data:`AADSTS` holds the answers by code.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorSpec:
    """How Microsoft answers one AADSTS code: HTTP status, OAuth error, suberror and text."""

    status: int
    error: str
    text: str
    suberror: str = ""


#: The answers by AADSTS code. ``{client}``, ``{tenant}`` and ``{user}`` are filled in.
AADSTS: dict[int, ErrorSpec] = {
    65001: ErrorSpec(
        400,
        "invalid_grant",
        "The user or administrator has not consented to use the application with ID "
        "'{client}'. Send an interactive authorization request for this user and resource.",
        "consent_required",
    ),
    65004: ErrorSpec(400, "access_denied", "User declined to consent to access the app."),
    700016: ErrorSpec(
        400,
        "unauthorized_client",
        "Application with identifier '{client}' was not found in the directory '{tenant}'. "
        "This can happen if the application has not been installed by the administrator of "
        "the tenant or consented to by any user in the tenant.",
    ),
    7000229: ErrorSpec(
        400,
        "invalid_client",
        "The client application '{client}' is missing service principal in the tenant '{tenant}'.",
    ),
    700027: ErrorSpec(
        401,
        "invalid_client",
        "Client assertion failed signature validation. The key was not found.",
    ),
    50076: ErrorSpec(
        400,
        "invalid_grant",
        "Due to a configuration change made by your administrator, or because you moved to a "
        "new location, you must use multi-factor authentication to access '{client}'.",
        "basic_action",
    ),
    50079: ErrorSpec(
        400,
        "invalid_grant",
        "Due to a configuration change made by your administrator, or because you moved to a "
        "new location, you must enroll in multi-factor authentication to access '{client}'.",
        "basic_action",
    ),
    50173: ErrorSpec(
        400,
        "invalid_grant",
        "The provided grant has expired due to it being revoked, a fresh auth token is "
        "needed. The user might have changed or reset their password.",
        "bad_token",
    ),
    50057: ErrorSpec(
        400, "invalid_grant", "The user account '{user}' is disabled.", "user_disabled"
    ),
    50034: ErrorSpec(
        400,
        "invalid_grant",
        "The user account '{user}' does not exist in the '{tenant}' directory.",
    ),
    53003: ErrorSpec(
        400,
        "invalid_grant",
        "Access has been blocked by Conditional Access policies. The access policy does not "
        "allow token issuance.",
    ),
    90099: ErrorSpec(
        400,
        "invalid_grant",
        "The application '{client}' has not been authorized in the tenant '{tenant}'. "
        "Applications must be authorized to access the customer tenant before partner "
        "delegated administrators can use them. Provide pre-consent or execute the "
        "appropriate Partner Center API to authorize the application.",
    ),
    530034: ErrorSpec(
        400,
        "invalid_grant",
        "Delegated admin access is blocked because of risk detected on the user in the "
        "partner tenant. The partner's administrator must remediate the user's risk.",
    ),
    500212: ErrorSpec(
        400,
        "invalid_grant",
        "The user's administrator has set an outbound access policy that does not allow "
        "access to the resource tenant '{tenant}'.",
    ),
    500213: ErrorSpec(
        400,
        "invalid_grant",
        "The resource tenant's cross-tenant access policy does not allow this user to access "
        "this tenant '{tenant}'.",
    ),
    700082: ErrorSpec(
        400,
        "invalid_grant",
        "The refresh token has expired due to inactivity. The token was issued long ago and "
        "was inactive for 90.00:00:00.",
        "bad_token",
    ),
    70008: ErrorSpec(
        400,
        "invalid_grant",
        "The provided authorization code or refresh token has expired due to inactivity.",
        "bad_token",
    ),
    70000: ErrorSpec(
        400,
        "invalid_grant",
        "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.",
        "bad_token",
    ),
    90055: ErrorSpec(
        429,
        "temporarily_unavailable",
        "The tenant is being throttled because of too many requests. Retry later.",
    ),
    90002: ErrorSpec(400, "invalid_request", "Tenant '{tenant}' not found."),
    500011: ErrorSpec(
        400,
        "invalid_resource",
        "The resource principal named {resource} was not found in the tenant named {tenant}.",
    ),
    50020: ErrorSpec(
        400,
        "access_denied",
        "User account '{user}' from identity provider does not exist in tenant '{tenant}' and "
        "cannot access the application '{client}' in that tenant.",
    ),
    90094: ErrorSpec(
        400,
        "access_denied",
        "The grant requires admin permission.",
    ),
    50000: ErrorSpec(503, "temporarily_unavailable", "There was an error issuing a token."),
    7000215: ErrorSpec(401, "invalid_client", "Invalid client secret provided."),
    7000218: ErrorSpec(
        401,
        "invalid_client",
        "The request body must contain the following parameter: 'client_assertion' or "
        "'client_secret'.",
    ),
    50194: ErrorSpec(
        400,
        "invalid_request",
        "Application '{client}' is not configured as a multi-tenant application. Usage of the "
        "/common endpoint is not supported for such applications created after '10/15/2018'. "
        "Use a tenant-specific endpoint or configure the application to be multi-tenant.",
    ),
    650056: ErrorSpec(
        400,
        "invalid_client",
        "Misconfigured application. This could be due to one of the following: the client has "
        "not listed any permissions for '{resource}' in the requested permissions in the "
        "client's application registration.",
    ),
    50011: ErrorSpec(
        400,
        "invalid_request",
        "The redirect URI '{redirect}' specified in the request does not match the redirect "
        "URIs configured for the application '{client}'. Make sure the redirect URI sent in the "
        "request matches one added to your application in the Azure portal.",
    ),
}

DELEGATED_GRANTS = frozenset({"authorization_code", "refresh_token"})
ALL_GRANTS = frozenset({"authorization_code", "refresh_token", "client_credentials"})


@dataclass
class Fault:
    """One injected failure of the token endpoint (and of /authorize for delegated grants)."""

    code: int
    tenant_id: str | None = None  # None: every tenant
    client_id: str | None = None  # None: every app
    upn: str | None = None  # None: every user (and app-only requests)
    #: The grant types it hits; ``graph`` for each Graph request (inside a batch too), and
    #: ``graph_batch`` for Graph's ``$batch`` request as a whole.
    grants: frozenset[str] = ALL_GRANTS
    #: How many requests it hits; None means until cleared.
    times: int | None = None
    #: Overrides the HTTP status of the code (e.g. 500/503 for a server error).
    status: int | None = None
    retry_after: int | None = None
    id: int = field(default=0)

    def matches(self, tenant_id: str, client_id: str, upn: str | None, grant: str) -> bool:
        if grant not in self.grants:
            return False
        if self.tenant_id is not None and self.tenant_id != tenant_id:
            return False
        if self.client_id is not None and self.client_id != client_id:
            return False
        return self.upn is None or (upn is not None and self.upn.casefold() == upn.casefold())


class FaultTable:
    """The active faults; the first match answers, and a counted fault wears out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(self, fault: Fault) -> int:
        with self._lock:
            fault.id = self._next_id
            self._next_id += 1
            self._faults.append(fault)
            return fault.id

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, tenant_id: str, client_id: str, upn: str | None, grant: str) -> Fault | None:
        """The first fault that hits this request, counting it down."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(tenant_id, client_id, upn, grant):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None
