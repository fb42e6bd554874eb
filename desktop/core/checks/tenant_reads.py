"""One tenant's Graph reads for every app profile in it, in the fewest batched round trips.

With the technician's token, a tenant is read in two rounds of JSON batches:

1. the service principal of every profile's app (custom apps' too: their checks then need no
   lookup of their own), the tenant's resource map (the object IDs of Microsoft Graph and of the
   other APIs whose names the cache holds) and the consenting users' object IDs;
2. for each app found, its app role assignments, its delegated grants and, when its app type
   needs directory roles, its role assignments: 3 requests per app, 20 a round trip.

App role IDs are named from the per-cloud :class:`NameMapCache`. A grant on an API that the
resource map lacks, or an app role ID the cached names do not list, costs one more round trip
that reads those APIs' service principals (and refreshes their cached names). An ID that is
still unknown after that is reported as unknown, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.checks.gateway import Grants, PlannedApp, TransientFailure
from desktop.core.checks.graph_batch import GraphBatcher, Listing, Reply
from desktop.core.checks.graph_reads import (
    APPS_READ_SCOPE,
    APPS_READERS,
    GRANTS_READ_SCOPE,
    GRANTS_READERS,
    lacking,
    roles_not_readable,
)
from desktop.core.checks.name_map import NameMapCache, names_of
from desktop.core.identity.graph import user_path
from desktop.core.identity.resources import GRAPH_APP_ID, RESOURCE_APP_IDS
from desktop.core.status_words import grants_not_readable

_FULL = "id,appId,displayName,appRoles,oauth2PermissionScopes"
_FIRST_PARTY = frozenset(RESOURCE_APP_IDS.values())
_IDS = "id,appId,displayName"


@dataclass
class TenantRead:
    """What one tenant's read found: each planned app's grants (or why not), and the object
    IDs of the apps' service principals (None: the app has none in the tenant)."""

    grants: dict[PlannedApp, Grants | TransientFailure] = field(default_factory=dict)
    sp_ids: dict[str, str | None] = field(default_factory=dict)


def _failure(reply: Reply, lacks: list[str] | None = None) -> TransientFailure:
    """A refused read as a failed check; *lacks* says what the sign-in was not granted (see
    :func:`~desktop.core.status_words.grants_not_readable`)."""
    if reply.status >= 500:
        return TransientFailure(
            f"Microsoft Graph answered with a server error (HTTP {reply.status})",
            detail=reply.error_text(),
        )
    if reply.status in (400, 401, 403, 404):
        return TransientFailure(grants_not_readable(reply.status, lacks), detail=reply.error_text())
    return TransientFailure(
        f"Microsoft Graph refused the request (HTTP {reply.status})", detail=reply.error_text()
    )


def _api_name(app_id: str, display_name: str = "") -> str:
    if display_name:
        return display_name
    for name, known in RESOURCE_APP_IDS.items():
        if known == app_id:
            return name.title()
    return f"the API {app_id}"


class TenantReader:
    """Reads one tenant (see the module docstring) with one :class:`GraphBatcher`."""

    def __init__(
        self,
        batcher: GraphBatcher,
        cloud: str,
        names: NameMapCache,
        scopes: frozenset[str] | None = None,
    ) -> None:
        self._batcher = batcher
        #: What the technician's token response granted (None: not known), so that a 403
        #: says whether the sign-in lacks a permission or the account a directory role.
        self._scopes = scopes
        self._cloud = cloud
        self._names = names
        #: (application ID, display name) by service principal object ID in lower case:
        #: GUIDs compare case-insensitively, whichever case a Graph answer wrote them in.
        self._api_of: dict[str, tuple[str, str]] = {}

    def read(self, apps: Iterable[PlannedApp]) -> TenantRead:
        planned = list(dict.fromkeys(a.key() for a in apps))
        out = TenantRead()
        first = self._first_round(planned)
        found: dict[str, str] = {}
        refused: dict[str, TransientFailure] = {}
        for cid in {a.client_id for a in planned}:
            listing = first[f"sp:{cid}"]
            if listing.refused is not None:
                lacks = lacking(self._scopes, (APPS_READ_SCOPE, APPS_READERS))
                refused[cid] = _failure(listing.refused, lacks)
                continue
            sp = next((i for i in listing.items if str(i.get("appId", "")).lower() == cid), None)
            sp = sp or (listing.items[0] if listing.items else None)
            out.sp_ids[cid] = str(sp["id"]) if sp else None
            if sp:
                found[cid] = str(sp["id"])
        publishers = [a for a in planned if not a.custom]
        second = self._second_round(publishers, found)
        self._resolve(second)
        for app in publishers:
            if app.client_id in refused:
                out.grants[app] = refused[app.client_id]
            elif app.client_id not in found:
                out.grants[app] = Grants(service_principal_found=False)
            else:
                out.grants[app] = self._grants(app, found[app.client_id], first, second)
        return out

    # -- the rounds ------------------------------------------------------------------------

    def _first_round(self, planned: Sequence[PlannedApp]) -> dict[str, Listing]:
        urls: dict[str, str] = {}
        for cid in dict.fromkeys(a.client_id for a in planned):
            urls[f"sp:{cid}"] = f"/servicePrincipals?$filter=appId eq '{cid}'&$select=id,appId"
        if any(not a.custom for a in planned):
            # Microsoft's own APIs seen before (an API of another vendor is rarely in the next
            # tenant: it is looked up where a grant names it).
            known = [a for a in self._names.known_apis(self._cloud) if a in _FIRST_PARTY]
            for api in dict.fromkeys([GRAPH_APP_ID, *known]):
                select = _IDS if self._names.fresh(self._cloud, api) else _FULL
                urls[f"res:{api}"] = f"/servicePrincipals?$filter=appId eq '{api}'&$select={select}"
        for user in dict.fromkeys(a.user for a in planned if a.user and not a.custom):
            urls[f"user:{user}"] = f"/{user_path(user)}?$select=id"
        first = self._batcher.list_many(urls)
        for key, listing in first.items():
            if key.startswith("res:") and listing.refused is None:
                for sp in listing.items:
                    self._learn(sp)
        return first

    def _second_round(
        self, publishers: Sequence[PlannedApp], found: Mapping[str, str]
    ) -> dict[str, Listing]:
        urls: dict[str, str] = {}
        for app in publishers:
            sp = found.get(app.client_id)
            if sp is None:
                continue
            urls[f"asg:{sp}"] = f"/servicePrincipals/{sp}/appRoleAssignments"
            urls[f"grt:{sp}"] = f"/oauth2PermissionGrants?$filter=clientId eq '{sp}'"
            if app.with_roles:
                urls[f"rol:{sp}"] = (
                    f"/roleManagement/directory/roleAssignments"
                    f"?$filter=principalId eq '{sp}'&$expand=roleDefinition"
                )
        return self._batcher.list_many(urls) if urls else {}

    def _learn(self, sp: Mapping[str, Any]) -> None:
        """Put a resource service principal in the tenant's map (and its names, if listed)."""
        app_id = str(sp.get("appId", "")).lower()
        if not sp.get("id") or not app_id:
            return
        self._api_of[str(sp["id"]).lower()] = (app_id, str(sp.get("displayName", "")))
        if "appRoles" in sp or "oauth2PermissionScopes" in sp:
            roles, scopes = names_of(sp)
            self._names.store(self._cloud, app_id, roles, scopes)

    def _resolve(self, second: Mapping[str, Listing]) -> None:
        """One more round for APIs missing from the map, or whose names lack an app role ID
        (an API added to the tenant, a role Microsoft added since the names were read)."""
        wanted: set[str] = set()
        for key, listing in second.items():
            if key.startswith(("asg:", "grt:")) and listing.refused is None:
                for item in listing.items:
                    rid = str(item.get("resourceId", "")).lower()
                    known = self._api_of.get(rid)
                    if known is None:
                        wanted.add(rid)
                    elif key.startswith("asg:"):
                        role = str(item.get("appRoleId", "")).lower()
                        names = self._names.role_names(self._cloud, known[0])
                        if role not in names and self._names.may_refresh(self._cloud, known[0]):
                            wanted.add(rid)
        wanted.discard("")
        if not wanted:
            return
        urls = {f"rsp:{rid}": f"/servicePrincipals/{rid}?$select={_FULL}" for rid in wanted}
        for listing in self._batcher.list_many(urls).values():
            if listing.refused is None:
                self._learn(listing.body)

    # -- one app's grants ------------------------------------------------------------------

    def _grants(
        self,
        app: PlannedApp,
        sp_id: str,
        first: Mapping[str, Listing],
        second: Mapping[str, Listing],
    ) -> Grants | TransientFailure:
        assignments, grants = second[f"asg:{sp_id}"], second[f"grt:{sp_id}"]
        needs = ((APPS_READ_SCOPE, APPS_READERS), (GRANTS_READ_SCOPE, GRANTS_READERS))
        for listing, need in zip((assignments, grants), needs, strict=True):
            if listing.refused is not None:
                return _failure(listing.refused, lacking(self._scopes, need))
        unresolved = {
            str(i.get("resourceId", ""))
            for i in [*assignments.items, *grants.items]
            if str(i.get("resourceId", "")).lower() not in self._api_of
        }
        if unresolved:
            return TransientFailure(
                "Microsoft Graph did not show which API some of the app's grants are for",
                detail=", ".join(sorted(unresolved)[:5]),
            )
        by_api: set[tuple[str, str]] = set()
        unknown: dict[str, list[str]] = {}
        for a in assignments.items:
            api, display = self._api_of[str(a.get("resourceId", "")).lower()]
            role = str(a.get("appRoleId", "")).lower()
            name = self._names.role_names(self._cloud, api).get(role)
            if name:
                by_api.add((api, name))
            elif role != "00000000-0000-0000-0000-000000000000":  # the default access role
                unknown.setdefault(_api_name(api, display), []).append(role)
        delegated_by_api = frozenset(
            (self._api_of[str(g.get("resourceId")).lower()][0], s)
            for g in grants.items
            if g.get("consentType") == "AllPrincipals"
            for s in str(g.get("scope", "")).split()
        )
        by_user: dict[str, set[tuple[str, str]]] = {}
        for g in grants.items:
            if g.get("consentType") == "Principal" and g.get("principalId"):
                by_user.setdefault(str(g["principalId"]).lower(), set()).update(
                    (self._api_of[str(g.get("resourceId")).lower()][0], s)
                    for s in str(g.get("scope", "")).split()
                )
        users = {k: frozenset(v) for k, v in by_user.items()}
        mine: frozenset[tuple[str, str]] | None = None
        if app.user:
            who = first.get(f"user:{app.user}")
            if who is not None and who.refused is not None and who.refused.status >= 500:
                return _failure(who.refused)
            if who is not None and who.refused is None:
                mine = users.get(str(who.body.get("id", "")).lower(), frozenset())
        roles: frozenset[str] | None = None
        unreadable = ""
        if app.with_roles:
            listing = second[f"rol:{sp_id}"]
            if listing.refused is None:
                names = {
                    str((r.get("roleDefinition") or {}).get("displayName", ""))
                    for r in listing.items
                }
                roles = frozenset(names - {""})
            elif listing.refused.status >= 500:
                return _failure(listing.refused)
            else:
                unreadable = roles_not_readable(listing.refused.status, self._scopes)
        application_by_api = frozenset(by_api)
        notes = tuple(
            f"The app also holds app roles of {api} that {api} does not name (unknown role "
            f"IDs, not compared): {', '.join(sorted(ids))}."
            for api, ids in sorted(unknown.items())
        )
        return Grants(
            True,
            frozenset(name for _, name in application_by_api),
            frozenset(name for _, name in delegated_by_api),
            roles,
            application_by_api,
            delegated_by_api,
            user_delegated_by_api=users,
            roles_unreadable=unreadable,
            consenting_user_delegated_by_api=mine,
            notes=notes,
        )
