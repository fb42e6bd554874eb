"""Questions a technician asks of the catalog's permissions, for the GUI viewer and the CLI.

- :func:`permission_rows`: every (app type, permission) row, with its high-privilege reason;
- :class:`RowFilter` / :func:`filter_rows`: by app type, API and type, plus a search that is
  case-insensitive across all columns;
- :func:`apps_requiring`: which app types require a permission (the reverse look-up);
- :func:`compare_apps`: what one app type needs that another does not;
- :func:`rows_by_api`: every app's rows grouped by API (:func:`api_names` lists the APIs);
- :func:`role_lines`: an app's directory roles and how each is assigned in each setup mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    Catalog,
    Permission,
    PermissionType,
    RoleAssignment,
    SetupMode,
)
from desktop.core.catalog.names import api_names
from desktop.core.catalog.privilege import Privilege, PrivilegeLevel, privilege_of


@dataclass(frozen=True)
class PermissionRow:
    """One permission that one app type requires."""

    app_type_id: str
    app_type: str
    api: str
    permission: str
    description: str
    type: PermissionType
    #: Why the permission is high-privilege, or ``None``.
    high_privilege_reason: str | None
    #: Why the row differs from the documentation's text (e.g. a corrected typo), if it does.
    note: str = ""
    #: Critical or high (``None`` when not high-privilege).
    privilege_level: PrivilegeLevel | None = None

    @property
    def high_privilege(self) -> bool:
        return self.high_privilege_reason is not None

    @property
    def key(self) -> tuple[str, str, PermissionType]:
        """The permission's identity across app types (case-insensitive API and name)."""
        return (self.api.casefold(), self.permission.casefold(), self.type)

    def as_dict(self) -> dict[str, str | bool | None]:
        """The CLI's JSON row (its keys are a stable interface; ``privilege_level`` was added
        after the others)."""
        return {
            "app_type": self.app_type,
            "api": self.api,
            "permission": self.permission,
            "description": self.description,
            "type": self.type.value,
            "high_privilege": self.high_privilege,
            "privilege_level": self.privilege_level.value if self.privilege_level else None,
        }

    def searchable(self) -> tuple[str, ...]:
        """The text of every column, folded for case-insensitive search."""
        reason, level = self.high_privilege_reason, self.privilege_level
        marker = f"high privilege {level.label} {reason}" if reason and level else ""
        return tuple(
            s.casefold()
            for s in (
                self.app_type,
                self.api,
                self.permission,
                self.description,
                self.type.value,
                marker,
            )
        )


def row_for(app: AppType, permission: Permission) -> PermissionRow:
    privilege = privilege_of(permission)
    return PermissionRow(
        app_type_id=app.id,
        app_type=app.label,
        api=permission.api,
        permission=permission.name,
        description=permission.description,
        type=permission.type,
        high_privilege_reason=privilege.reason if privilege else None,
        note=permission.note,
        privilege_level=privilege.level if privilege else None,
    )


def permission_rows(
    catalog: Catalog, app_type_ids: Iterable[str] | None = None
) -> list[PermissionRow]:
    """Rows of the given app types (all when ``None``), in catalog order."""
    wanted = None if app_type_ids is None else set(app_type_ids)
    return [
        row_for(app, permission)
        for app in catalog.app_types
        if wanted is None or app.id in wanted
        for permission in app.permissions
    ]


@dataclass(frozen=True)
class RowFilter:
    """What the viewer or the CLI narrows rows to. An empty field does not narrow."""

    app_type_ids: frozenset[str] = frozenset()
    #: API names, compared case-insensitively.
    apis: frozenset[str] = frozenset()
    type: PermissionType | None = None
    #: Whitespace-separated terms; every term must appear in some column.
    search: str = ""
    high_privilege_only: bool = False
    critical_only: bool = False

    def terms(self) -> tuple[str, ...]:
        return tuple(self.search.casefold().split())

    def matches(self, row: PermissionRow) -> bool:
        if self.app_type_ids and row.app_type_id not in self.app_type_ids:
            return False
        if self.apis and row.api.casefold() not in {a.casefold() for a in self.apis}:
            return False
        if self.type is not None and row.type is not self.type:
            return False
        if self.high_privilege_only and not row.high_privilege:
            return False
        if self.critical_only and row.privilege_level is not PrivilegeLevel.CRITICAL:
            return False
        terms = self.terms()
        if terms:
            cells = row.searchable()
            return all(any(term in cell for cell in cells) for term in terms)
        return True


def filter_rows(rows: Iterable[PermissionRow], row_filter: RowFilter) -> list[PermissionRow]:
    return [row for row in rows if row_filter.matches(row)]


def rows_by_api(catalog: Catalog) -> dict[str, list[PermissionRow]]:
    """Every app's rows grouped by API (sorted by API name), across all app types."""
    rows = permission_rows(catalog)
    return {
        api: [row for row in rows if row.api.casefold() == api.casefold()]
        for api in api_names(catalog)
    }


def apps_requiring(
    catalog: Catalog, api: str, permission: str, type_: PermissionType | None = None
) -> list[AppType]:
    """App types that require *permission* of *api* (of *type_*, or of either type)."""
    api_key, name_key = api.casefold(), permission.casefold()
    return [
        app
        for app in catalog.app_types
        if any(
            p.api.casefold() == api_key
            and p.name.casefold() == name_key
            and (type_ is None or p.type is type_)
            for p in app.permissions
        )
    ]


class Side(StrEnum):
    """Where a permission appears when two app types are compared."""

    ONLY_A = "only_a"
    ONLY_B = "only_b"
    BOTH = "both"


@dataclass(frozen=True)
class ComparedPermission:
    side: Side
    permission: Permission
    high_privilege_reason: str | None
    privilege_level: PrivilegeLevel | None = None


@dataclass(frozen=True)
class AppComparison:
    """Two app types' permissions: what only A needs, what only B needs, and what both need."""

    app_a: AppType
    app_b: AppType
    only_a: tuple[Permission, ...]
    only_b: tuple[Permission, ...]
    both: tuple[Permission, ...]

    def rows(self) -> list[ComparedPermission]:
        """Only-in-A first, then only-in-B, then both: the differences are what matter."""
        groups: Sequence[tuple[Side, tuple[Permission, ...]]] = (
            (Side.ONLY_A, self.only_a),
            (Side.ONLY_B, self.only_b),
            (Side.BOTH, self.both),
        )
        return [
            _compared(side, p, privilege_of(p)) for side, permissions in groups for p in permissions
        ]

    def side_label(self, side: Side) -> str:
        return {
            Side.ONLY_A: f"Only {self.app_a.label}",
            Side.ONLY_B: f"Only {self.app_b.label}",
            Side.BOTH: "Both",
        }[side]


def _compared(
    side: Side, permission: Permission, privilege: Privilege | None
) -> ComparedPermission:
    if privilege is None:
        return ComparedPermission(side, permission, None)
    return ComparedPermission(side, permission, privilege.reason, privilege.level)


def compare_apps(catalog: Catalog, app_a_id: str, app_b_id: str) -> AppComparison:
    """Compare two app types' permissions (API and name case-insensitive, type exact)."""
    app_a, app_b = catalog.app_type(app_a_id), catalog.app_type(app_b_id)
    keys_a = {p.key for p in app_a.permissions}
    keys_b = {p.key for p in app_b.permissions}
    return AppComparison(
        app_a=app_a,
        app_b=app_b,
        only_a=_unique(p for p in app_a.permissions if p.key not in keys_b),
        only_b=_unique(p for p in app_b.permissions if p.key not in keys_a),
        both=_unique(p for p in app_a.permissions if p.key in keys_b),
    )


def _unique(permissions: Iterable[Permission]) -> tuple[Permission, ...]:
    seen: set[tuple[str, str, PermissionType]] = set()
    out = []
    for p in permissions:
        if p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return tuple(out)


@dataclass(frozen=True)
class RoleLine:
    """A directory role an app needs, and how it is assigned in each of the app's modes."""

    role: str
    assignments: tuple[tuple[SetupMode, RoleAssignment], ...]
    note: str = ""


def role_lines(app: AppType) -> list[RoleLine]:
    """The app's directory roles, for the modes the app has (classic profiles are not set up
    here, so their roles are not shown)."""
    modes = tuple(m for m in app.modes if m is not SetupMode.CLASSIC) or app.modes
    return [
        RoleLine(
            role=role.name,
            assignments=tuple((mode, role.assignment_in(mode)) for mode in modes),
            note=role.note,
        )
        for role in app.directory_roles
    ]


_ASSIGNMENT_WORDS = {
    RoleAssignment.AUTOMATIC: "assigned automatically within 24 hours of authorization",
    RoleAssignment.MANUAL: "assign it by hand in Microsoft Entra ID",
}


def role_text(line: RoleLine) -> str:
    """How the role of *line* is assigned, said once.

    The catalog's note, when it has one, already says how each mode assigns the role (and
    more precisely), so it replaces the generated words instead of repeating them; modes that
    agree are named together.
    """
    if line.note:
        return line.note
    kinds = {assignment for _, assignment in line.assignments}
    if len(kinds) == 1:
        modes = " and ".join(mode.value for mode, _ in line.assignments)
        words = _ASSIGNMENT_WORDS[kinds.pop()]
        return f"{words[0].upper()}{words[1:]} ({modes} mode)."
    return " ".join(
        f"{mode.value.capitalize()} mode: {_ASSIGNMENT_WORDS[assignment]}."
        for mode, assignment in line.assignments
    )


def azure_role_text(req: AzureRoleRequirement) -> str:
    """One Azure role requirement as a sentence: scope, then when it applies, then what.

    A condition is either a state ("The key vault's permission model is ...", a case) or an
    instruction ending in a full stop ("Every subscription you want to manage: add the app to
    it."), which follows the requirement rather than posing as a condition.
    """
    condition = req.condition.strip()
    if not condition:
        return f"{req.scope}: {req.requirement}."
    if condition.endswith("."):
        return f"{req.scope}: {req.requirement}. {condition}"
    return f"{req.scope}, when {condition[0].lower()}{condition[1:]}: {req.requirement}."
