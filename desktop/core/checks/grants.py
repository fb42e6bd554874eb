"""Diff what a tenant granted against what the catalog says an app type needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from desktop.core.catalog.model import AppType, PermissionType, RoleAssignment, SetupMode

#: Automatic directory roles are assigned within 24 hours of authorization (seed 002).
AUTOMATIC_ROLE_GRACE = timedelta(hours=24)
#: A Valid profile warns when its certificate expires within this time (seed 000 / DESIGN).
EXPIRY_WARNING = timedelta(days=30)


def is_graph(api: str) -> bool:
    """Whether *api* is Microsoft Graph, whose permissions a Graph token carries."""
    return "graph" in api.casefold()


def required_permissions(app: AppType, type_: PermissionType) -> tuple[str, ...]:
    """The Graph permission names of *type_* the app type needs, in catalog order."""
    seen: dict[str, str] = {}
    for permission in app.permissions_of(type_):
        if is_graph(permission.api):
            seen.setdefault(permission.name.casefold(), permission.name)
    return tuple(seen.values())


def missing(required: Iterable[str], granted: Iterable[str]) -> tuple[str, ...]:
    """The required names not granted, compared case-insensitively, in required order."""
    have = {g.casefold() for g in granted}
    return tuple(r for r in required if r.casefold() not in have)


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
