"""A profile's baseline: the permissions the tenant showed right after consent.

Most AOS app types' catalog entries list no permissions. For those, what the tenant granted at
consent is what later checks compare against, so a permission that disappears is found. Each
entry is ``"{Application|Delegated}:{resource application ID}:{permission value}"``; stored as
one entry per line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from desktop.core.identity.resources import GRAPH_APP_ID, RESOURCE_APP_IDS


class Granted(NamedTuple):
    """One permission granted to an app: its kind, its API's application ID, its value."""

    kind: str  # "Application" or "Delegated"
    resource: str  # the API's application ID, lower case
    value: str

    def entry(self) -> str:
        return f"{self.kind}:{self.resource}:{self.value}"

    @property
    def label(self) -> str:
        """How a reason names it: Graph's bare, any other API's with its name first."""
        if self.resource == GRAPH_APP_ID:
            return self.value
        return f"{api_name(self.resource)}: {self.value}"


#: Display names of the APIs reasons name most (Entra's spelling).
_NAMES = {
    GRAPH_APP_ID: "Microsoft Graph",
    "00000003-0000-0ff1-ce00-000000000000": "SharePoint",
    "00000002-0000-0ff1-ce00-000000000000": "Office 365 Exchange Online",
}


def api_name(resource: str) -> str:
    """A display name for an API's application ID."""
    key = resource.lower()
    if key in _NAMES:
        return _NAMES[key]
    for name, app_id in RESOURCE_APP_IDS.items():
        if app_id == key:
            return " ".join(w.capitalize() for w in name.split())
    return resource


def entries(granted: Iterable[Granted]) -> tuple[str, ...]:
    """Sorted, unique entries (case-insensitive values) for a profile's ``baseline``."""
    seen: dict[tuple[str, str, str], Granted] = {}
    for g in granted:
        seen.setdefault((g.kind, g.resource.lower(), g.value.casefold()), g)
    return tuple(
        sorted(Granted(g.kind, g.resource.lower(), g.value).entry() for g in seen.values())
    )


def parse(entries_: Iterable[str]) -> list[Granted]:
    """The entries back as :class:`Granted` (malformed ones are skipped)."""
    found: list[Granted] = []
    for entry in entries_:
        kind, _, rest = entry.partition(":")
        resource, _, value = rest.partition(":")
        if kind and resource and value:
            found.append(Granted(kind, resource.lower(), value))
    return found


def to_text(entries_: Iterable[str]) -> str:
    return "\n".join(entries_)


def from_text(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def gone(baseline: Iterable[str], now: Iterable[Granted]) -> list[Granted]:
    """The baseline's permissions not granted any more (case-insensitive values)."""
    have = {(g.kind, g.resource.lower(), g.value.casefold()) for g in now}
    return [g for g in parse(baseline) if (g.kind, g.resource, g.value.casefold()) not in have]
