"""How the sandbox's Graph answers like Microsoft Graph: its error shape, the permissions each
endpoint needs, and the query options (``$filter``, ``$select``, ``$expand``, ``$top``, paging).

Modelled on Microsoft Graph's documentation: the error resource (``error.code``,
``error.message``, ``error.innerError``), the permissions tables of the endpoints the app reads,
and the paging rule that a client follows ``@odata.nextLink`` (an absolute URL) until there is
none. ``$filter`` is parsed strictly: a comparison on an ID property must compare with a GUID.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

GraphReply = tuple[int, dict[str, Any]]

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_COMPARISON = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)

#: The permissions that let a token call an endpoint, least privileged first (the
#: "Permissions" table of each endpoint's page; delegated and application alike).
APPLICATIONS_READ = frozenset(
    {
        "Application.Read.All",
        "Application.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)
APP_ROLE_ASSIGNMENTS_READ = APPLICATIONS_READ | {"AppRoleAssignment.ReadWrite.All"}
GRANTS_READ = frozenset(
    {
        "DelegatedPermissionGrant.Read.All",
        "DelegatedPermissionGrant.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)
ROLES_READ = frozenset(
    {
        "RoleManagement.Read.Directory",
        "RoleManagement.Read.All",
        "RoleManagement.ReadWrite.Directory",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)
ROLES_WRITE = frozenset({"RoleManagement.ReadWrite.Directory"})
ORGANIZATION_READ = frozenset(
    {
        "User.Read",
        "Organization.Read.All",
        "Organization.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)
USERS_READ = frozenset(
    {"User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"}
)
CROSS_TENANT_READ = frozenset({"CrossTenantInformation.ReadBasic.All"})
ME_READ = frozenset(
    {"User.Read", "User.ReadWrite", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"}
)

#: Directory role template IDs (``wids``) that may assign directory roles.
ROLE_ASSIGNERS = frozenset(
    {
        "62e90394-69f5-4237-9190-012177145e10",  # Global Administrator
        "e8611ab8-c189-46e8-94e1-60213ab1f814",  # Privileged Role Administrator
    }
)


def error(status: int, code: str, message: str) -> GraphReply:
    """Graph's error resource, with the ``innerError`` every answer carries."""
    return status, {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": str(uuid.uuid4()),
                "client-request-id": str(uuid.uuid4()),
            },
        }
    }


def denied() -> GraphReply:
    return error(
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
    )


def granted_permissions(claims: Mapping[str, Any]) -> frozenset[str]:
    """A delegated token's ``scp`` or an app token's ``roles``, case-folded."""
    if "scp" in claims:
        return frozenset(s.casefold() for s in str(claims.get("scp", "")).split())
    roles = claims.get("roles") or []
    return frozenset(str(r).casefold() for r in roles) if isinstance(roles, list) else frozenset()


def allowed(claims: Mapping[str, Any], needed: Iterable[str]) -> bool:
    """Whether the token holds any one of *needed*."""
    have = granted_permissions(claims)
    return any(n.casefold() in have for n in needed)


def is_guid(text: str) -> bool:
    return bool(_GUID.match(text))


@dataclass(frozen=True)
class Entity:
    """What a collection's items are: their OData type, properties and which hold IDs."""

    type_name: str
    properties: frozenset[str]
    guid_properties: frozenset[str]
    expandable: frozenset[str] = frozenset()


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def parse_filter(entity: Entity, expression: str) -> list[tuple[str, str]] | GraphReply:
    """``prop eq 'value'`` terms joined by ``and``; a 400 answer when it is not one."""
    terms: list[tuple[str, str]] = []
    for part in re.split(r"\s+and\s+", expression.strip(), flags=re.IGNORECASE):
        match = _COMPARISON.match(part)
        if match is None:
            return error(400, "BadRequest", f"Invalid filter clause: '{expression}'.")
        name, value = match.group(1), match.group(2).replace("''", "'")
        prop = next((p for p in entity.properties if p.casefold() == name.casefold()), None)
        if prop is None:
            return error(
                400,
                "BadRequest",
                f"Invalid filter clause: Could not find a property named '{name}' on type "
                f"'{entity.type_name}'.",
            )
        if prop in entity.guid_properties and not is_guid(value):
            return error(400, "Request_BadRequest", f"Invalid object identifier '{value}'.")
        terms.append((prop, value))
    return terms


def select(
    entity: Entity, items: list[dict[str, Any]], text: str
) -> list[dict[str, Any]] | GraphReply:
    """Only the ``$select`` properties of each item."""
    wanted = _names(text)
    for name in wanted:
        if name not in entity.properties:
            return error(
                400,
                "BadRequest",
                f"Parsing OData Select and Expand failed: Could not find a property named "
                f"'{name}' on type '{entity.type_name}'.",
            )
    return [
        {k: v for k, v in item.items() if k in wanted or k.startswith("@odata")} for item in items
    ]


@dataclass(frozen=True)
class Query:
    """A collection request's query options, checked against its entity."""

    terms: list[tuple[str, str]]
    select: str
    expand: frozenset[str]
    top: int | None
    skip: int


def parse_query(entity: Entity, query: Mapping[str, str]) -> Query | GraphReply:
    terms: list[tuple[str, str]] = []
    if query.get("$filter", "").strip():
        parsed = parse_filter(entity, query["$filter"])
        if not isinstance(parsed, list):
            return parsed
        terms = parsed
    expand = frozenset(_names(query.get("$expand", "")))
    for name in expand - entity.expandable:
        return error(
            400,
            "BadRequest",
            f"Parsing OData Select and Expand failed: Could not find a navigation property "
            f"named '{name}' on type '{entity.type_name}'.",
        )
    top: int | None = None
    if "$top" in query:
        try:
            top = int(query["$top"])
        except ValueError:
            top = -1
        if not 1 <= top <= 999:
            return error(400, "BadRequest", f"Invalid page size specified: '{query['$top']}'.")
    skip = 0
    if query.get("$skiptoken"):
        try:
            skip = int(base64.urlsafe_b64decode(query["$skiptoken"].encode()).decode())
        except ValueError:
            return error(400, "Request_BadRequest", "The specified page token value has expired.")
    return Query(terms, query.get("$select", ""), expand, top, skip)


def matches(item: Mapping[str, Any], terms: list[tuple[str, str]]) -> bool:
    return all(str(item.get(p, "")).casefold() == v.casefold() for p, v in terms)


def page(
    items: list[dict[str, Any]],
    q: Query,
    page_size: int,
    next_base: str,
    query: Mapping[str, str],
) -> dict[str, Any]:
    """One page of *items* from ``q.skip``, with an absolute ``@odata.nextLink`` if more."""
    size = min(q.top or page_size, page_size)
    body: dict[str, Any] = {"value": items[q.skip : q.skip + size]}
    if q.skip + size < len(items):
        rest = {k: v for k, v in query.items() if k != "$skiptoken"}
        rest["$skiptoken"] = base64.urlsafe_b64encode(str(q.skip + size).encode()).decode()
        body["@odata.nextLink"] = f"{next_base}?{urlencode(rest)}"
    return body
