"""The few Graph reads a check makes: an app's service principal, grants and directory roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from desktop.core.checks.gateway import Grants, TokenError, TransientFailure
from desktop.core.checks.http import TIMEOUT, parse_retry_after
from desktop.core.endpoints import Endpoints
from desktop.core.identity.graph import user_path
from desktop.core.status_words import grants_not_readable

#: Pages followed before giving up: a list cut short would show grants as missing.
_MAX_PAGES = 200

#: What a directory-role read needs: the scope in the technician's sign-in, and a directory
#: role that may read role assignments (rbacapplication-list-roleassignments).
ROLES_READ_SCOPE = "RoleManagement.Read.Directory"
#: Every delegated permission that lets a sign-in list role assignments (the least
#: privileged first), as Graph's permission table for that request lists them.
ROLES_READERS = frozenset(
    {
        ROLES_READ_SCOPE,
        "RoleManagement.Read.All",
        "RoleManagement.ReadWrite.Directory",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)
#: Reading service principals and their app role assignments: the least privileged delegated
#: permission, and every one that allows it.
APPS_READ_SCOPE = "Application.Read.All"
APPS_READERS = frozenset(
    {APPS_READ_SCOPE, "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
)
#: Reading oauth2PermissionGrants (delegated grants), likewise.
GRANTS_READ_SCOPE = "DelegatedPermissionGrant.Read.All"
GRANTS_READERS = frozenset(
    {
        GRANTS_READ_SCOPE,
        "DelegatedPermissionGrant.ReadWrite.All",
        "Directory.Read.All",
        "Directory.ReadWrite.All",
    }
)


class _NotReadable(Exception):
    """Graph refused the read (401/403/404): the caller decides what that means."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


def _get_all(session: requests.Session, url: str, token: str) -> list[dict[str, Any]]:
    """Every item of a Graph collection, following ``@odata.nextLink``."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    for _ in range(_MAX_PAGES):
        data = _get(session, next_url or url, token)
        value = data.get("value", [])
        items.extend(v for v in value if isinstance(v, dict))
        link = data.get("@odata.nextLink")
        next_url = str(link) if link else None
        if not next_url:
            return items
    raise TransientFailure(
        "Microsoft Graph returned more pages than expected",
        detail=f"More than {_MAX_PAGES} pages of {url}",
    )


def _get(session: requests.Session, url: str, token: str) -> dict[str, Any]:
    try:
        response = session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise TransientFailure(
            "Microsoft Graph cannot be reached", detail=f"{type(exc).__name__}: {exc}"
        ) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientFailure(
            "Microsoft Graph is throttling requests"
            if response.status_code == 429
            else f"Microsoft Graph answered with a server error (HTTP {response.status_code})",
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    if response.status_code in (400, 401, 403, 404):
        raise _NotReadable(response.status_code, response.text[:500])
    try:
        data = response.json()
    except ValueError as exc:
        raise TransientFailure("Microsoft Graph answered with something unreadable") from exc
    if response.status_code >= 400 or not isinstance(data, dict):
        raise TransientFailure(f"Microsoft Graph refused the request (HTTP {response.status_code})")
    return data


def _role_names(session: requests.Session, base: str, sp_id: str, token: str) -> frozenset[str]:
    """Names of the directory roles assigned to the service principal *sp_id* (its bare object
    ID: Graph's ``principalId`` filter takes no ``servicePrincipals/`` prefix)."""
    url = (
        f"{base}/roleManagement/directory/roleAssignments"
        f"?$filter=principalId eq '{sp_id}'&$expand=roleDefinition"
    )
    names = {
        str((a.get("roleDefinition") or {}).get("displayName", ""))
        for a in _get_all(session, url, token)
    }
    return frozenset(names - {""})


def _sp_id(session: requests.Session, base: str, client_id: str, token: str) -> str | None:
    url = f"{base}/servicePrincipals?$filter=appId eq '{client_id}'&$select=id,appId"
    found = _get_all(session, url, token)
    return str(found[0]["id"]) if found else None


def holds_any(scopes: frozenset[str], accepted: frozenset[str]) -> bool:
    """Whether a sign-in granted *scopes* holds one of the *accepted* permissions (Graph's
    permission names are case-insensitive)."""
    return bool({s.casefold() for s in scopes} & {a.casefold() for a in accepted})


def lacking(scopes: frozenset[str] | None, *needs: tuple[str, frozenset[str]]) -> list[str] | None:
    """The least privileged permission of each *need* (name, every permission allowing it)
    that *scopes* holds none of; None when the granted scopes are not known."""
    if scopes is None:
        return None
    return [least for least, accepted in needs if not holds_any(scopes, accepted)]


def roles_not_readable(status: int, scopes: frozenset[str] | None = None) -> str:
    """Why an app's directory roles could not be read, and what the sign-in lacks.

    A 403 means the token lacks the scope or the account lacks a directory role; the token
    response's granted *scopes* tell them apart (None: not known, both are named)."""
    if scopes is not None and not holds_any(scopes, ROLES_READERS):
        lacks = (
            f"your sign-in was not granted {ROLES_READ_SCOPE} (add it to the sign-in app's "
            "registration and consent to it)"
        )
    elif scopes is not None:
        lacks = (
            "your account has no directory role that may read role assignments in this "
            "tenant (for example Directory Readers)"
        )
    else:
        lacks = (
            f"the sign-in needs {ROLES_READ_SCOPE} and a directory role that may read role "
            "assignments (for example Directory Readers)"
        )
    return (
        f"The app's directory roles could not be read (Microsoft Graph answered HTTP {status}): "
        f"{lacks}. They were not checked; check them in Entra ID (Roles and administrators)."
    )


def read_publisher_grants(
    session: requests.Session,
    endpoints: Endpoints,
    token: str,
    client_id: str,
    *,
    with_roles: bool = True,
    scopes: frozenset[str] | None = None,
    user: str = "",
) -> Grants | TokenError:
    """What the tenant granted the app *client_id*, read with the technician's Graph token.

    Only ``AllPrincipals`` grants count as the tenant's (admin) delegated grants; each user's
    own ``Principal`` grants are kept apart, by user object ID. Directory roles are read only
    when *with_roles*; a refusal there leaves them unread (None) with the reason, using the
    sign-in's granted *scopes* (from the token response) when known.
    """
    base = endpoints.graph("").rstrip("/")
    try:
        sp_id = _sp_id(session, base, client_id, token)
        if sp_id is None:
            return Grants(service_principal_found=False)
        assignments = _get_all(
            session, f"{base}/servicePrincipals/{sp_id}/appRoleAssignments", token
        )
        grants = _get_all(
            session, f"{base}/oauth2PermissionGrants?$filter=clientId eq '{sp_id}'", token
        )
        # Each grant names its API by the API's service principal: read each one once, for
        # its application ID (which API) and its roles' values (which permission).
        names: dict[str, str] = {}
        api_of: dict[str, str] = {}
        resource_ids = {str(a.get("resourceId")) for a in assignments}
        for resource_id in resource_ids | {str(g.get("resourceId")) for g in grants}:
            resource = _get(session, f"{base}/servicePrincipals/{resource_id}", token)
            api_of[resource_id] = str(resource.get("appId", "")).lower()
            for role in resource.get("appRoles", []):
                names[str(role.get("id"))] = str(role.get("value", ""))
        by_api = {
            (api_of[str(a.get("resourceId"))], names.get(str(a.get("appRoleId")), ""))
            for a in assignments
        }
        application_by_api = frozenset(p for p in by_api if p[1])
        application = frozenset(name for _, name in application_by_api)
        delegated_by_api = frozenset(
            (api_of[str(g.get("resourceId"))], s)
            for g in grants
            if g.get("consentType") == "AllPrincipals"
            for s in str(g.get("scope", "")).split()
        )
        delegated = frozenset(name for _, name in delegated_by_api)
        by_user: dict[str, set[tuple[str, str]]] = {}
        for g in grants:
            if g.get("consentType") == "Principal" and g.get("principalId"):
                by_user.setdefault(str(g["principalId"]).lower(), set()).update(
                    (api_of[str(g.get("resourceId"))], s) for s in str(g.get("scope", "")).split()
                )
    except _NotReadable as exc:
        lacks = lacking(
            scopes, (APPS_READ_SCOPE, APPS_READERS), (GRANTS_READ_SCOPE, GRANTS_READERS)
        )
        raise TransientFailure(grants_not_readable(exc.status, lacks), detail=exc.body) from exc
    users: dict[str, frozenset[tuple[str, str]]] = {k: frozenset(v) for k, v in by_user.items()}
    mine = _user_grants(session, base, token, user, users) if user else None
    roles: frozenset[str] | None = None
    unreadable = ""
    if with_roles:
        try:
            roles = _role_names(session, base, sp_id, token)
        except _NotReadable as exc:
            unreadable = roles_not_readable(exc.status, scopes)
    return Grants(
        True,
        application,
        delegated,
        roles,
        application_by_api,
        delegated_by_api,
        user_delegated_by_api=users,
        roles_unreadable=unreadable,
        consenting_user_delegated_by_api=mine,
    )


def _user_grants(
    session: requests.Session,
    base: str,
    token: str,
    user: str,
    users: dict[str, frozenset[tuple[str, str]]],
) -> frozenset[tuple[str, str]] | None:
    """The consenting user's own grants (found by the user's object ID); None when the user
    cannot be looked up with this sign-in (the user's own token then tells)."""
    try:
        found = _get(session, f"{base}/{user_path(user)}?$select=id", token)
    except _NotReadable:
        return None
    return users.get(str(found.get("id", "")).lower(), frozenset())


def read_app_roles(
    session: requests.Session,
    endpoints: Endpoints,
    token: str,
    client_id: str,
    on_refused: Callable[[int], object] | None = None,
) -> frozenset[str] | None:
    """A custom app's directory roles, read with its own token; None if it may not read them
    (*on_refused* is told the HTTP status Graph refused with)."""
    base = endpoints.graph("").rstrip("/")
    try:
        sp_id = _sp_id(session, base, client_id, token)
        return _role_names(session, base, sp_id, token) if sp_id else None
    except _NotReadable as exc:
        if on_refused is not None:
            on_refused(exc.status)
        return None


def read_sp_roles(
    session: requests.Session,
    endpoints: Endpoints,
    token: str,
    sp_id: str,
    on_refused: Callable[[int], object] | None = None,
) -> frozenset[str] | None:
    """The directory roles of the service principal *sp_id* (its object ID known already), read
    with the app's own token; None if it may not read them (*on_refused* is told the status)."""
    try:
        return _role_names(session, endpoints.graph("").rstrip("/"), sp_id, token)
    except _NotReadable as exc:
        if on_refused is not None:
            on_refused(exc.status)
        return None
