"""Reading tokens and token-endpoint answers: JWT claims (unverified), roles, scopes, AADSTS codes.

Access tokens are opaque to clients (Microsoft's own APIs may encrypt them), so a delegated
flow reads the token *response*: its ``scope`` (what was granted), ``id_token_claims`` and
``client_info`` (who signed in, where). Only an app-only token's ``roles`` claim is decoded,
the one documented exception. Shared with the health checks.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any

from desktop.core.errors import UserError

_AADSTS = re.compile(r"AADSTS(\d+)")

#: Codes and OAuth errors that mean "try again later", never Invalid.
TRANSIENT_CODES = frozenset({50196, 90055, 50000, 90033, 90006, 90024})
TRANSIENT_ERRORS = frozenset({"temporarily_unavailable", "server_error"})


def decode_claims(token: str) -> dict[str, Any]:
    """The payload of a compact JWT, without verifying it. Raises UserError when malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        raise UserError("The token from Microsoft is not a JWT.")
    payload = parts[1]
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, TypeError) as exc:
        raise UserError("The token from Microsoft cannot be read.", detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise UserError("The token from Microsoft does not hold claims.")
    return data


def roles(claims: Mapping[str, Any]) -> frozenset[str]:
    """The application permissions in a token's ``roles`` claim (absent means none)."""
    value = claims.get("roles") or []
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def scopes(claims: Mapping[str, Any]) -> frozenset[str]:
    """The delegated permissions in a token's ``scp`` claim (space-separated)."""
    value = claims.get("scp") or ""
    return frozenset(str(value).split()) if isinstance(value, str) else frozenset()


def response_scopes(result: Mapping[str, Any]) -> frozenset[str]:
    """The delegated permissions a token *response* grants, from its ``scope`` field.

    Entra may name them with the resource (``https://graph.microsoft.com/User.Read``); the
    permission is the part after the last ``/``. OpenID scopes are left out.
    """
    value = result.get("scope") or ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    found = {str(item).rsplit("/", 1)[-1] for item in str(value).split()}
    return frozenset(found - {"openid", "profile", "offline_access", "email", ".default", ""})


def response_tenant(result: Mapping[str, Any]) -> str:
    """The tenant a token response was issued in: the ID token's ``tid``, else the
    ``utid`` of ``client_info`` (MSAL keeps both); empty when neither says."""
    claims = result.get("id_token_claims")
    if isinstance(claims, Mapping) and claims.get("tid"):
        return str(claims["tid"])
    info = result.get("client_info")
    if isinstance(info, str) and info:
        try:
            data = json.loads(base64.urlsafe_b64decode(info + "=" * (-len(info) % 4)))
        except (ValueError, TypeError):
            return ""
        if isinstance(data, dict) and data.get("utid"):
            return str(data["utid"])
    return ""


def user_name(claims: Mapping[str, Any]) -> str:
    """The signed-in user's UPN, from whichever claim carries it."""
    for key in ("preferred_username", "upn", "unique_name", "email"):
        value = claims.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def aadsts_codes(result: Mapping[str, Any]) -> tuple[int, ...]:
    """The AADSTS codes of an error answer: ``error_codes``, else those in the description."""
    codes = result.get("error_codes")
    if isinstance(codes, list) and codes:
        return tuple(int(c) for c in codes if str(c).isdigit())
    text = str(result.get("error_description", ""))
    return tuple(int(c) for c in _AADSTS.findall(text))


def first_line(text: str) -> str:
    """The human part of an ``error_description`` (Microsoft appends trace IDs)."""
    for marker in ("\r\n", "\n", " Trace ID:"):
        text = text.split(marker, 1)[0]
    return text.strip()


def is_transient(result: Mapping[str, Any]) -> bool:
    """Whether an error answer means "try later" (throttling, outage) rather than a verdict."""
    if str(result.get("error", "")) in TRANSIENT_ERRORS:
        return True
    return any(code in TRANSIENT_CODES for code in aadsts_codes(result))
