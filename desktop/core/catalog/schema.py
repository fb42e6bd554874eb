"""The catalog's schema: turns parsed JSON into catalog objects, or says exactly what is wrong.

Hand-written rather than a schema library: the checks are few, the messages must name the file,
the entry and the problem in words a technician understands, and the catalog must load without
an extra dependency. Every problem raises :class:`CatalogError` with one line of the form
``<file>: <entry>: <problem>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from desktop.core.catalog.model import (
    AppType,
    AzureRoleRequirement,
    ConsentMethod,
    DelegatedFunction,
    DelegationKind,
    DirectoryRole,
    Permission,
    PermissionType,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
    Term,
)
from desktop.core.errors import UserError

# Matched with fullmatch: "$" would accept a trailing newline.
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

TOP_LEVEL = "top level"

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class CatalogError(UserError):
    """The catalog (shipped or an organization's override) is malformed or contradictory."""


class Entry:
    """Reads one JSON object, naming the file and the entry in every complaint."""

    def __init__(self, file: str, where: str, raw: object) -> None:
        self.file = file
        self.where = where
        if not isinstance(raw, Mapping):
            self.fail(f"must be a JSON object, not {_json_type(raw)}")
        self.raw: Mapping[str, Any] = raw

    def fail(self, problem: str) -> NoReturn:
        """Raise the one-line complaint about this entry."""
        raise CatalogError(
            f"{self.file}: {self.where}: {problem}.",
            remedy="Fix or remove that entry; until then the app uses its shipped catalog "
            "without the override.",
        )

    def child(self, where: str, raw: object) -> Entry:
        prefix = "" if self.where == TOP_LEVEL else f"{self.where}, "
        return Entry(self.file, prefix + where, raw)

    def only(self, *keys: str) -> None:
        """Reject unknown keys: a misspelt key would otherwise be silently ignored."""
        unknown = sorted(set(self.raw) - set(keys))
        if unknown:
            self.fail(f'unknown key "{unknown[0]}" (expected one of: {", ".join(keys)})')

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f'"{key}" is missing')
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f'"{key}" must be a non-empty string')
        return str(value)

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not SLUG.fullmatch(value):
            self.fail(f'"{key}" "{value}" must be lower-case letters, digits and hyphens')
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(f'"{key}" must be true or false')
        return bool(value)

    def guid(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        return check_guid(self, key, value)

    def items(self, key: str, *, required: bool = False) -> list[Any]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f'"{key}" is missing')
            return []
        if not isinstance(value, list):
            self.fail(f'"{key}" must be a list')
        if required and not value:
            self.fail(f'"{key}" must not be empty')
        return list(value)

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        values = self.items(key, required=required)
        if not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(f'"{key}" must be a list of non-empty strings')
        return tuple(values)

    def choices(self, key: str, enum: type[E], *, required: bool = True) -> tuple[E, ...]:
        found = tuple(self.choice_of(key, enum, v) for v in self.texts(key, required=required))
        if len(set(found)) != len(found):
            self.fail(f'"{key}" lists a value twice')
        return found

    def choice(self, key: str, enum: type[E]) -> E:
        return self.choice_of(key, enum, self.text(key))

    def choice_of(self, key: str, enum: type[E], value: object) -> E:
        if isinstance(value, str):
            try:
                return enum(value)  # one look-up: this runs for every row at every start
            except ValueError:
                pass
        allowed = ", ".join(str(m.value) for m in enum)
        self.fail(f'"{key}" has "{value}"; allowed: {allowed}')


def check_guid(entry: Entry, key: str, value: object) -> str:
    """A client ID must be a GUID such as 00000000-0000-0000-0000-000000000000."""
    if not isinstance(value, str) or not GUID.fullmatch(value.strip()):
        entry.fail(f'"{key}" "{value}" is not a GUID (like 12345678-abcd-1234-abcd-123456789abc)')
    return str(value).strip().lower()


def _json_type(value: object) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", int: "a number"}
    names[float] = "a number"
    return "null" if value is None else names.get(type(value), type(value).__name__)


def read_list(
    file: str, raw: Sequence[object], label: str, parse: Callable[[Entry], T]
) -> tuple[T, ...]:
    """Parse every object in *raw*, naming each by its ``id`` (or position) in complaints."""
    out = []
    for index, item in enumerate(raw):
        ident = item.get("id") if isinstance(item, Mapping) else None
        where = f'{label} "{ident}"' if isinstance(ident, str) else f"{label} #{index + 1}"
        out.append(parse(Entry(file, where, item)))
    return tuple(out)


def parse_term(entry: Entry) -> Term:
    entry.only("id", "name", "description")
    return Term(entry.slug("id"), entry.text("name"), entry.text("description"))


def parse_service(entry: Entry) -> Service:
    entry.only("id", "name", "family", "members", "creatable", "setup_modes")
    modes = entry.choices("setup_modes", SetupMode, required=False) or (SetupMode.MODERN,)
    return Service(
        id=entry.slug("id"),
        name=entry.text("name"),
        family=entry.choice("family", ServiceFamily),
        app_type_ids=(),  # filled in from the app types' "services" by the loader
        members=entry.texts("members"),
        creatable=entry.flag("creatable", True),
        setup_modes=modes,
    )


def parse_permission(entry: Entry) -> Permission:
    entry.only("api", "permission", "description", "type", "note")
    return Permission(
        api=entry.text("api"),
        name=entry.text("permission"),
        description=entry.text("description"),
        type=entry.choice("type", PermissionType),
        note=entry.text("note", required=False),
    )


def parse_role(entry: Entry, modes: tuple[SetupMode, ...]) -> DirectoryRole:
    entry.only("name", "assignment", "note")
    raw = entry.raw.get("assignment", {})
    if not isinstance(raw, Mapping):
        entry.fail('"assignment" must map setup modes to "automatic" or "manual"')
    assignment: dict[SetupMode, RoleAssignment] = {}
    for mode_name, how in raw.items():
        mode = entry.choice_of("assignment", SetupMode, mode_name)
        if mode not in modes:
            entry.fail(f'"assignment" names the mode "{mode}", which the app does not have')
        assignment[mode] = entry.choice_of("assignment", RoleAssignment, how)
    return DirectoryRole(
        name=entry.text("name"), assignment=assignment, note=entry.text("note", required=False)
    )


def parse_app_type(entry: Entry) -> AppType:
    entry.only(
        "id", "name", "qualifier", "description", "services", "modes", "consent_methods",
        "kind", "creatable", "client_id", "permissions", "directory_roles", "azure_roles",
        "functions", "notes",
    )  # fmt: skip
    modes = entry.choices("modes", SetupMode)
    consent = entry.choices("consent_methods", ConsentMethod)
    if ConsentMethod.ADMIN not in consent:
        entry.fail('"consent_methods" must include "admin": every app supports admin consent')
    roles = tuple(
        parse_role(entry.child(f"directory role #{i + 1}", raw), modes)
        for i, raw in enumerate(entry.items("directory_roles"))
    )
    azure = tuple(
        _parse_azure(entry.child(f"Azure role #{i + 1}", raw))
        for i, raw in enumerate(entry.items("azure_roles"))
    )
    functions = tuple(
        _parse_function(entry.child(f"function #{i + 1}", raw))
        for i, raw in enumerate(entry.items("functions"))
    )
    permissions = tuple(
        parse_permission(entry.child(f"permission #{i + 1}", raw))
        for i, raw in enumerate(entry.items("permissions"))
    )
    app = AppType(
        id=entry.slug("id"),
        name=entry.text("name"),
        qualifier=entry.text("qualifier", required=False),
        description=entry.text("description"),
        service_ids=entry.texts("services", required=True),
        modes=modes,
        consent_methods=consent,
        kind=entry.choice("kind", DelegationKind),
        creatable=entry.flag("creatable", False),
        permissions=permissions,
        directory_roles=roles,
        azure_roles=azure,
        functions=functions,
        client_id=entry.guid("client_id"),
        notes=entry.texts("notes"),
    )
    check_app_type(entry, app)
    return app


def check_app_type(entry: Entry, app: AppType) -> None:
    """Contradictions inside one app type."""
    types = {p.type for p in app.permissions}
    if types:
        expected = {
            frozenset({PermissionType.APPLICATION}): DelegationKind.APPLICATION,
            frozenset({PermissionType.DELEGATED}): DelegationKind.DELEGATED,
            frozenset(PermissionType): DelegationKind.HYBRID,
        }[frozenset(types)]
        if app.kind is not expected:
            entry.fail(
                f'"kind" is "{app.kind}" but its permissions make it "{expected}" '
                "(hybrid means both application and delegated permissions)"
            )
    if app.creatable and app.modes == (SetupMode.CLASSIC,):
        entry.fail('a classic-mode app cannot be created; set "creatable" to false')
    if app.functions and app.kind is DelegationKind.APPLICATION:
        entry.fail("only an app with delegated permissions can have functions")
    seen: set[tuple[str, str, PermissionType]] = set()
    for perm in app.permissions:
        if perm.key in seen:
            entry.fail(f'permission "{perm.api} {perm.name}" ({perm.type}) is listed twice')
        seen.add(perm.key)


def _parse_azure(entry: Entry) -> AzureRoleRequirement:
    entry.only("scope", "requirement", "condition")
    return AzureRoleRequirement(
        scope=entry.text("scope"),
        requirement=entry.text("requirement"),
        condition=entry.text("condition", required=False),
    )


def _parse_function(entry: Entry) -> DelegatedFunction:
    entry.only("id", "name")
    return DelegatedFunction(id=entry.slug("id"), name=entry.text("name"))
