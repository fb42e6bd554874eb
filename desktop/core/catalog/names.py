"""Find app types, services and APIs by what a technician types: an id or a name.

Matching ignores case and repeated spaces. An unknown name raises :class:`NotFoundError` whose
one line suggests the closest names, so ``--app "APElements Automaton"`` says what was meant.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

from desktop.core.catalog.model import AppType, Catalog, Service
from desktop.core.errors import NotFoundError


def normalize(text: str) -> str:
    """The form names are compared in: case-folded, single-spaced, trimmed."""
    return " ".join(text.split()).casefold()


def find_app_type(catalog: Catalog, text: str) -> AppType:
    """The app type whose id, name or label (name with its service) is *text*."""
    wanted = normalize(text)
    exact = [a for a in catalog.app_types if wanted in (a.id, normalize(a.label))]
    if exact:
        return exact[0]
    by_name = [a for a in catalog.app_types if normalize(a.name) == wanted]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        choices = " or ".join(f'"{a.label}"' for a in by_name)
        raise NotFoundError(
            f'"{text.strip()}" names {len(by_name)} app types.',
            remedy=f"Use {choices}.",
        )
    raise _not_found("app type", text, [a.label for a in catalog.app_types], "apps")


def find_service(catalog: Catalog, text: str) -> Service:
    """The service whose id or name is *text*; a member ("Risk management") finds its entry."""
    wanted = normalize(text)
    for service in catalog.services:
        if wanted in (service.id, normalize(service.name)):
            return service
    for service in catalog.services:
        if wanted in (normalize(m) for m in service.members):
            return service
    names = [s.name for s in catalog.services] + [m for s in catalog.services for m in s.members]
    raise _not_found("service", text, names, "apps")


def api_names(catalog: Catalog) -> tuple[str, ...]:
    """Every API that some app type needs a permission of, sorted by name."""
    seen: dict[str, str] = {}
    for app in catalog.app_types:
        for perm in app.permissions:
            seen.setdefault(normalize(perm.api), perm.api)
    return tuple(sorted(seen.values(), key=str.casefold))


def find_api(catalog: Catalog, text: str) -> str:
    """The catalog's spelling of the API named *text* (e.g. "microsoft graph")."""
    wanted = normalize(text)
    names = api_names(catalog)
    for name in names:
        if normalize(name) == wanted:
            return name
    raise _not_found("API", text, names, "permissions")


def closest(text: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Up to *n* of *names* that look most like *text*, ignoring case."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(normalize(name), name)
    keys = get_close_matches(normalize(text), list(by_key), n=n, cutoff=0.5)
    if not keys:  # a fragment ("baseline") matches by substring rather than by likeness
        keys = [k for k in by_key if normalize(text) in k][:n]
    return [by_key[k] for k in keys]


def _not_found(kind: str, text: str, names: Iterable[str], command: str) -> NotFoundError:
    suggestions = closest(text, names)
    hint = (
        "Did you mean " + " or ".join(f'"{s}"' for s in suggestions) + "?"
        if suggestions
        else f"Run app-profiles-cli {command} to see them all."
    )
    return NotFoundError(f'No {kind} is named "{text.strip()}".', remedy=hint)
