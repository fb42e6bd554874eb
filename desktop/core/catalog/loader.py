"""Loads the shipped catalog and merges an organization's override over it.

The shipped catalog is two JSON files in ``desktop/resources/catalog``: ``catalog.json``
(version, notes, setup modes, consent methods, services) and ``app-types.json`` (app types with
their permissions, roles and notes). An organization may drop ``catalog-override.json`` into the
data folder to set client IDs or add services and app types::

    {
      "version": "contoso-3",
      "sign_in_client_id": "<GUID>",
      "client_ids": {"apelements-automation": "<GUID>"},
      "clouds": {"usgov": {"sign_in_client_id": "<GUID>", "client_ids": {...}}},
      "services": [ ...entries shaped like catalog.json's services... ],
      "app_types": [ ...entries shaped like app-types.json's app types... ]
    }

The top-level client IDs are the Global cloud's. National clouds need their own app
registrations, so ``clouds`` sets them per cloud (``usgov`` for GCC High, ``usgov-dod``,
``china``); a cloud without its own ID has none (a Global client ID is unknown there).

The override is all or nothing: if anything in it is malformed or contradicts the catalog, the
shipped catalog is used alone and the problem is reported in :attr:`LoadedCatalog.problems`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from desktop.core.catalog.model import AppType, Catalog, ConsentMethod, SetupMode, Term
from desktop.core.catalog.schema import (
    TOP_LEVEL,
    CatalogError,
    Entry,
    check_guid,
    parse_app_type,
    parse_service,
    parse_term,
    read_list,
)
from desktop.resources import FOLDER as RESOURCE_FOLDER

#: The shipped catalog's folder (package data; see :mod:`desktop.resources`).
SHIPPED_FOLDER = "catalog"
CATALOG_FILE = "catalog.json"
APP_TYPES_FILE = "app-types.json"

__all__ = ["CatalogError", "LoadedCatalog", "load_catalog", "load_shipped", "merge_override"]


class LoadedCatalog(NamedTuple):  # not a dataclass: made at import, on the start path
    """The catalog in use, and the problems found with an override (the app survives them)."""

    catalog: Catalog
    problems: tuple[str, ...] = ()


def load_catalog(override: Path | None = None) -> LoadedCatalog:
    """The shipped catalog, with *override* merged over it when that file exists and is valid.

    Raises :class:`CatalogError` only when the shipped catalog itself is broken.
    """
    shipped = load_shipped()
    if override is None or not override.exists():
        return LoadedCatalog(shipped)
    try:
        return LoadedCatalog(merge_override(shipped, override))
    except CatalogError as exc:
        return LoadedCatalog(shipped, (exc.one_line(),))


def load_shipped() -> Catalog:
    """Read and check the catalog shipped in the package."""
    folder = RESOURCE_FOLDER / SHIPPED_FOLDER
    main_name = f"{SHIPPED_FOLDER}/{CATALOG_FILE}"
    apps_name = f"{SHIPPED_FOLDER}/{APP_TYPES_FILE}"
    main = Entry(main_name, TOP_LEVEL, _decode(main_name, folder.joinpath(CATALOG_FILE)))
    main.only("version", "notes", "setup_modes", "consent_methods", "services")
    apps = Entry(apps_name, TOP_LEVEL, _decode(apps_name, folder.joinpath(APP_TYPES_FILE)))
    apps.only("app_types")
    modes = read_list(main_name, main.items("setup_modes", required=True), "setup mode", parse_term)
    consent = read_list(
        main_name, main.items("consent_methods", required=True), "consent method", parse_term
    )
    _check_terms(main, "setup_modes", modes, {m.value for m in SetupMode})
    _check_terms(main, "consent_methods", consent, {m.value for m in ConsentMethod})
    version = main.text("version")
    services = read_list(main_name, main.items("services", required=True), "service", parse_service)
    app_types = read_list(
        apps_name, apps.items("app_types", required=True), "app type", parse_app_type
    )
    return assemble(
        apps_name,
        Catalog(
            version=version,
            services=services,
            app_types=app_types,
            sources=(f"shipped catalog {version}",),
            setup_modes=modes,
            consent_methods=consent,
            notes=main.texts("notes"),
        ),
    )


def merge_override(shipped: Catalog, path: Path) -> Catalog:
    """*shipped* with the override file at *path* merged over it, or :class:`CatalogError`."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(
            f"{name}: cannot read the catalog override: {getattr(exc, 'strerror', None) or exc}.",
            remedy="Check the file's permissions, or remove it; the shipped catalog stays in use.",
        ) from exc
    top = Entry(name, TOP_LEVEL, _parse_json(name, text))
    top.only("version", "sign_in_client_id", "client_ids", "clouds", "services", "app_types")
    label = top.text("version", required=False) or "no version"
    sign_in = top.guid("sign_in_client_id") or shipped.sign_in_client_id

    new_services = read_list(name, top.items("services"), "service", parse_service)
    new_apps = read_list(name, top.items("app_types"), "app type", parse_app_type)
    _no_clash(name, "service", shipped.services, new_services)
    _no_clash(name, "app type", shipped.app_types, new_apps)
    app_types = _with_client_ids(top, (*shipped.app_types, *new_apps))
    cloud_sign_in, cloud_ids = _cloud_client_ids(top, app_types)
    merged = dataclasses.replace(
        shipped,
        services=(*shipped.services, *new_services),
        app_types=app_types,
        sign_in_client_id=sign_in,
        cloud_sign_in_client_ids=cloud_sign_in,
        cloud_client_ids=cloud_ids,
        sources=(*shipped.sources, f"override {name} ({label})"),
    )
    return assemble(name, merged)


def assemble(file: str, catalog: Catalog) -> Catalog:
    """Check the references between services and app types; link services to their apps."""
    _unique(file, "service", [(s.id, s.id) for s in catalog.services])
    _unique(file, "service", [(s.id, s.name.casefold()) for s in catalog.services], "name")
    _unique(file, "app type", [(a.id, a.id) for a in catalog.app_types])
    _unique(file, "app type", [(a.id, a.label.casefold()) for a in catalog.app_types], "name")
    services = {s.id: s for s in catalog.services}
    for app in catalog.app_types:
        entry = Entry(file, f'app type "{app.id}"', {})
        for service_id in app.service_ids:
            if service_id not in services:
                entry.fail(f'service "{service_id}" is not in the catalog')
        if len(set(app.service_ids)) != len(app.service_ids):
            entry.fail("lists a service twice")
        if app.creatable and not any(
            services[s].creatable and set(services[s].setup_modes) & set(app.modes)
            for s in app.service_ids
        ):
            entry.fail(
                "is creatable, but none of its services is offered by the create wizard in one "
                "of its modes"
            )
    linked = tuple(
        dataclasses.replace(
            s, app_type_ids=tuple(a.id for a in catalog.app_types if s.id in a.service_ids)
        )
        for s in catalog.services
    )
    return dataclasses.replace(catalog, services=linked)


def _cloud_client_ids(
    top: Entry, app_types: tuple[AppType, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, str], ...]]:
    """The ``clouds`` section: per national cloud, the sign-in and publisher client IDs."""
    raw = top.raw.get("clouds", {})
    if not isinstance(raw, Mapping):
        top.fail('"clouds" must map clouds (usgov, usgov-dod, china) to their client IDs')
    sign_in: list[tuple[str, str]] = []
    ids: list[tuple[str, str, str]] = []
    for cloud, value in raw.items():
        entry = top.child(f'clouds "{cloud}"', value)
        if cloud not in _NATIONAL_CLOUDS:
            entry.fail(
                "is not a national cloud (usgov, usgov-dod or china); the Global cloud's client "
                "IDs are the top-level ones"
            )
        entry.only("sign_in_client_id", "client_ids")
        guid = entry.guid("sign_in_client_id")
        if guid:
            sign_in.append((cloud, guid))
        for app in _with_client_ids(entry, app_types, only_changed=True):
            ids.append((cloud, app.id, str(app.client_id)))
    return tuple(sign_in), tuple(ids)


_NATIONAL_CLOUDS = ("usgov", "usgov-dod", "china")


def _with_client_ids(
    top: Entry, app_types: tuple[AppType, ...], *, only_changed: bool = False
) -> tuple[AppType, ...]:
    raw = top.raw.get("client_ids", {})
    if not isinstance(raw, Mapping):
        top.fail('"client_ids" must map app type ids to client IDs')
    known = {a.id for a in app_types}
    ids: dict[str, str] = {}
    for app_id, value in raw.items():
        entry = top.child(f'client_ids "{app_id}"', {})
        if app_id not in known:
            from difflib import get_close_matches  # only for a broken override

            close = get_close_matches(app_id, sorted(known), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            entry.fail(f"no app type has this id{hint}")
        ids[app_id] = check_guid(entry, "client ID", value)
    if only_changed:
        return tuple(dataclasses.replace(a, client_id=ids[a.id]) for a in app_types if a.id in ids)
    return tuple(
        dataclasses.replace(a, client_id=ids[a.id]) if a.id in ids else a for a in app_types
    )


def _no_clash(file: str, label: str, shipped: tuple[Any, ...], added: tuple[Any, ...]) -> None:
    known = {item.id for item in shipped}
    for item in added:
        if item.id in known:
            Entry(file, f'{label} "{item.id}"', {}).fail(
                f"the shipped catalog already has a {label} with this id; an override can only "
                'add new ones (set client IDs under "client_ids")'
            )


def _unique(file: str, label: str, pairs: list[tuple[str, str]], what: str = "id") -> None:
    seen: dict[str, str] = {}
    for ident, value in pairs:
        if value in seen:
            Entry(file, f'{label} "{ident}"', {}).fail(
                f'its {what} is already used by {label} "{seen[value]}"'
            )
        seen[value] = ident


def _check_terms(entry: Entry, key: str, terms: tuple[Term, ...], expected: set[str]) -> None:
    found = {t.id for t in terms}
    if found != expected:
        entry.fail(f'"{key}" must describe exactly: {", ".join(sorted(expected))}')


def _decode(name: str, resource: Path) -> object:
    try:
        text = resource.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(
            f"{name}: cannot read the shipped catalog: {exc}.",
            remedy="Reinstall the app.",
        ) from exc
    return _parse_json(name, text)


#: Far deeper than any catalog entry (about six levels), far below Python's recursion limit.
MAX_DEPTH = 32


def _parse_json(name: str, text: str) -> object:
    remedy = "Fix the file; the shipped catalog stays in use until then."
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).",
            remedy=remedy,
        ) from exc
    except RecursionError as exc:
        raise CatalogError(f"{name}: nested far too deeply.", remedy=remedy) from exc
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits
        raise CatalogError(f"{name}: a number has far too many digits.", remedy=remedy) from exc
    problem = _json_problem(value)
    if problem:
        raise CatalogError(f"{name}: {problem}.", remedy=remedy)
    return value


def _json_problem(value: object) -> str | None:
    """What no catalog holds: nesting deeper than :data:`MAX_DEPTH`, text that is not valid
    Unicode (a lone surrogate escape such as ``"\\ud800"``) or a number that is not finite."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return f"the text {_shown(item)} holds a lone surrogate escape (\\ud800-\\udfff)"
        elif isinstance(item, float) and not math.isfinite(item):
            return "a number is too large"
    return None


def _shown(text: str, limit: int = 40) -> str:
    shown = json.dumps(text)
    return shown if len(shown) <= limit else shown[: limit - 2] + '…"'
