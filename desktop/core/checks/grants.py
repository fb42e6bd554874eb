"""Diff what a tenant granted against what the catalog says an app type needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.core.catalog.model import (
    AppType,
    Permission,
    PermissionType,
    RoleAssignment,
    SetupMode,
)
from desktop.core.identity.resources import is_graph, resource_app_id
from desktop.core.status_words import permission_name

#: Automatic directory roles are assigned within 24 hours of authorization (seed 002).
AUTOMATIC_ROLE_GRACE = timedelta(hours=24)
#: A Valid profile warns when its certificate expires within this time (seed 000 / DESIGN).
EXPIRY_WARNING = timedelta(days=30)


def missing(required: Iterable[str], granted: Iterable[str]) -> tuple[str, ...]:
    """The required names not granted, compared case-insensitively, in required order."""
    have = {g.casefold() for g in granted}
    return tuple(r for r in required if r.casefold() not in have)


@dataclass(frozen=True)
class Diff:
    """Required permissions of one type against what one answer granted."""

    #: How many required permissions were compared.
    compared: int
    #: The compared ones not granted, named as the reasons name them.
    missing: tuple[str, ...]
    #: (API, name) of the required permissions this answer cannot show.
    uncompared: tuple[tuple[str, str], ...]


def _required(app: AppType, type_: PermissionType) -> list[Permission]:
    """The app type's permissions of *type_*, each API and name once, in catalog order."""
    seen: dict[tuple[str, str], Permission] = {}
    for p in app.permissions_of(type_):
        seen.setdefault((" ".join(p.api.split()).casefold(), p.name.casefold()), p)
    return list(seen.values())


def other_apis(app: AppType, type_: PermissionType) -> list[str]:
    """Application IDs (lower case) of the APIs other than Microsoft Graph whose *type_*
    permissions the app type lists, in catalog order: each needs a token of its own."""
    found: dict[str, None] = {}
    for p in _required(app, type_):
        app_id = resource_app_id(p.api)
        if app_id and not is_graph(p.api):
            found.setdefault(app_id.lower())
    return list(found)


def diff_graph_token(app: AppType, type_: PermissionType, granted: Iterable[str]) -> Diff:
    """Against a Microsoft Graph token's claim: it carries Graph's permissions only."""
    have = {g.casefold() for g in granted}
    graph = [p for p in _required(app, type_) if is_graph(p.api)]
    return Diff(
        len(graph),
        tuple(p.name for p in graph if p.name.casefold() not in have),
        tuple((p.api, p.name) for p in _required(app, type_) if not is_graph(p.api)),
    )


def diff_grants(
    app: AppType,
    type_: PermissionType,
    names: Iterable[str],
    by_api: frozenset[tuple[str, str]] | None,
) -> Diff:
    """Against Graph's list of an app's grants: every API whose application ID is known, when
    the list tells the APIs apart (*by_api*); else Graph's permissions by name."""
    if by_api is None:
        return diff_graph_token(app, type_, names)
    have = {(api, name.casefold()) for api, name in by_api}
    compared: list[Permission] = []
    uncompared: list[tuple[str, str]] = []
    for p in _required(app, type_):
        app_id = resource_app_id(p.api)
        if app_id:
            compared.append(p)
        else:
            uncompared.append((p.api, p.name))
    missing = tuple(
        permission_name(p.api, p.name)
        for p in compared
        if (str(resource_app_id(p.api)).lower(), p.name.casefold()) not in have
    )
    return Diff(len(compared), missing, tuple(uncompared))


def roles_claim(claims: object) -> tuple[str, ...]:
    """The ``roles`` claim of an app token (missing when every role was revoked)."""
    roles = claims.get("roles", []) if isinstance(claims, Mapping) else []
    return tuple(str(r) for r in roles) if isinstance(roles, list) else ()


def scopes_claim(claims: object) -> tuple[str, ...]:
    """The ``scp`` claim of a user token, split on spaces."""
    scp = claims.get("scp", "") if isinstance(claims, Mapping) else ""
    return tuple(str(scp).split())


def missing_roles(
    app: AppType,
    mode: SetupMode,
    assigned: Iterable[str],
    consented_at: datetime | None,
    now: datetime,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Directory roles not assigned: (missing now, still within the automatic 24 h window)."""
    have = {a.casefold() for a in assigned}
    late: list[str] = []
    pending: list[str] = []
    recent = consented_at is not None and now - consented_at < AUTOMATIC_ROLE_GRACE
    for role in app.directory_roles:
        if role.name.casefold() in have:
            continue
        if recent and role.assignment_in(mode) is RoleAssignment.AUTOMATIC:
            pending.append(role.name)
        else:
            late.append(role.name)
    return tuple(late), tuple(pending)


def expiry_warning(not_after: datetime, now: datetime) -> str:
    """A warning when a certificate expires within 30 days, else ''."""
    left = not_after - now
    if left > EXPIRY_WARNING:
        return ""
    days = max(0, left.days)
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    return (
        f"The certificate expires {when} ({not_after:%Y-%m-%d}). Create a new certificate, "
        "upload it to the custom app and re-authorize the app profile with it before then."
    )
