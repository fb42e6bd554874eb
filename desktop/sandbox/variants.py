"""Documented variants of Microsoft's answers, switched on per test, that a client must accept.

The sandbox's default answers are one valid shape of each documented answer; Microsoft's own
vary within what the documentation allows, and a client that depends on the default shape
fails in production. Each name here switches one variant on (``set_variants`` scenario):

``v1_tokens``
    Access tokens in the v1.0 format, as Entra issues them for any resource whose
    ``accessTokenAcceptedVersion`` is null, Microsoft Graph included: ``ver`` "1.0", issuer
    ``https://sts.windows.net/{tid}/``, ``appid`` without ``azp``, ``unique_name`` and ``upn``
    without ``preferred_username`` (access-token claims reference).
``upper_guids``
    Graph writes every ID (``id``, ``appId``, ``resourceId``, ``appRoleId``, ``principalId``,
    ``clientId``, ``roleDefinitionId``) in upper case. GUIDs compare case-insensitively; a
    client must never compare them as strings.
``mixed_case_guids``
    Only the references (``resourceId``, ``appRoleId``, ``principalId``, ``clientId``, …) in
    upper case, an object's own ``id`` in lower case: two answers of Graph may write the same
    GUID differently, and a client that keys one by the other loses the match.
``extra_fields``
    Fields the client does not know, in token responses (``foci``, ``refresh_in``,
    ``correlation_id``) and in every Graph object (``@odata.type``, ``deletedDateTime``, an
    unknown property), and a redirect's ``session_state``: JSON and OAuth answers may grow
    new members at any time, and a client must ignore those it does not know.
``interaction_required``
    Token errors that need the user at the sign-in page (multi-factor authentication 50076,
    50079, Conditional Access 53003, 50158, consent 65001) come with ``error``
    ``interaction_required`` instead of ``invalid_grant``, and a ``claims`` challenge; every
    token error gets an ``error_uri``. Both are documented; rules must branch on the AADSTS
    code, not on which of the two ``error`` values came.
``cancel_subcode``
    An administrator who cancels on the admin consent page comes back with only
    ``error=access_denied&error_subcode=cancel&state=…``: no ``admin_consent``, no
    ``error_description``, no AADSTS code.
"""

from __future__ import annotations

import re
from typing import Any

V1_TOKENS = "v1_tokens"
UPPER_GUIDS = "upper_guids"
EXTRA_FIELDS = "extra_fields"
CANCEL_SUBCODE = "cancel_subcode"
INTERACTION_REQUIRED = "interaction_required"
MIXED_CASE_GUIDS = "mixed_case_guids"
ALL = frozenset(
    {V1_TOKENS, UPPER_GUIDS, MIXED_CASE_GUIDS, EXTRA_FIELDS, CANCEL_SUBCODE, INTERACTION_REQUIRED}
)
#: The codes answered with ``interaction_required`` in that variant.
INTERACTIVE_CODES = frozenset({50076, 50079, 53003, 50158, 65001})
#: A claims challenge as Entra sends one: the claims a new interactive sign-in must satisfy.
CLAIMS_CHALLENGE = '{"access_token":{"capolids":{"essential":true,"values":["sandbox"]}}}'

#: The Graph properties whose value is a GUID.
GUID_KEYS = frozenset(
    {"id", "appId", "resourceId", "appRoleId", "principalId", "clientId", "roleDefinitionId"}
)
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def checked(names: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> frozenset[str]:
    """*names* as a set, refusing an unknown one (a typo would silently test nothing)."""
    unknown = set(names) - ALL
    if unknown:
        raise ValueError(f"unknown variants {sorted(unknown)}; known: {sorted(ALL)}")
    return frozenset(names)


_GUID_IN_TEXT = re.compile(r"\b[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b")


def lower_guids(text: str) -> str:
    """*text* with every GUID in it in lower case, as the sandbox's directory keys them."""
    return _GUID_IN_TEXT.sub(lambda m: m.group(0).lower(), text)


def access_claims(claims: dict[str, Any], variants: frozenset[str]) -> dict[str, Any]:
    """An access token's claims in the v1.0 format when ``v1_tokens`` is on."""
    if V1_TOKENS not in variants:
        return claims
    out = dict(claims)
    out["ver"] = "1.0"
    out["iss"] = f"https://sts.windows.net/{claims.get('tid', '')}/"
    out.pop("azp", None)
    out.pop("azpacr", None)
    if "preferred_username" in out:
        out["unique_name"] = out.pop("preferred_username")
    return out


def token_response(body: dict[str, Any], variants: frozenset[str]) -> dict[str, Any]:
    """A token response with members the client does not know when ``extra_fields`` is on."""
    if EXTRA_FIELDS not in variants:
        return body
    return {
        **body,
        "foci": "1",
        "refresh_in": 1800,
        "correlation_id": "00000000-0000-0000-0000-000000000000",
    }


def token_error(
    reply: tuple[int, dict[str, str], dict[str, Any]], variants: frozenset[str]
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """A token endpoint's error answer in the ``interaction_required`` variant."""
    status, headers, body = reply
    if INTERACTION_REQUIRED not in variants or status < 400 or "error" not in body:
        return reply
    body = dict(body)
    codes = [int(c) for c in body.get("error_codes") or [] if str(c).isdigit()]
    body["error_uri"] = "https://login.microsoftonline.com/error?code=" + (
        str(codes[0]) if codes else ""
    )
    if INTERACTIVE_CODES & set(codes):
        body["error"] = "interaction_required"
        body["claims"] = CLAIMS_CHALLENGE
    return status, headers, body


def graph_body(body: Any, variants: frozenset[str]) -> Any:
    """A Graph answer in the switched-on variants (IDs in upper case, unknown members)."""
    if not variants & {UPPER_GUIDS, MIXED_CASE_GUIDS, EXTRA_FIELDS}:
        return body
    return _walk(body, variants, top=True)


def _walk(value: Any, variants: frozenset[str], top: bool = False) -> Any:
    if isinstance(value, list):
        return [_walk(v, variants) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        upper = UPPER_GUIDS in variants or (MIXED_CASE_GUIDS in variants and key != "id")
        if upper and key in GUID_KEYS and isinstance(item, str) and _GUID.match(item):
            out[key] = item.upper()
        else:
            out[key] = _walk(item, variants)
    if EXTRA_FIELDS in variants and not top and "id" in value and "error" not in value:
        out.setdefault("deletedDateTime", None)
        out.setdefault("x-sandbox-unknown", {"nested": [1, "two"]})
    return out
