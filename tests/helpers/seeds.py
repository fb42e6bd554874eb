"""Read the vendor documentation kept in ``tests/data/seeds``, so tests check data against it.

The pages are plain text whose tables lost their cell borders: a permission row reads
``<API><Permission>(<Description>)<Type>`` and a user-consent row reads ``<Service(s)><App type>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
PROFILES_PAGE = SEEDS / "002_d2c0b2a06fbf04d4.txt"
REAUTHORIZE_PAGE = SEEDS / "000_994eb0d43fed461a.txt"

_TITLE = re.compile(r"^App Permissions Required by (?P<what>.+)$")
_APP_IN_INTRO = re.compile(r"authorize the (?P<app>APElements [A-Za-z ]+?) app")
_ROW = re.compile(r"^(?P<head>.+)\((?P<description>.*)\)(?P<type>Application|Delegated)$")
_ROLES = re.compile(r"requires the (?P<roles>.+?) roles")


@dataclass(frozen=True)
class SeedRow:
    """One permission row: API and permission run together in ``head``."""

    head: str
    description: str
    type: str


@dataclass(frozen=True)
class SeedTable:
    title: str  # e.g. "Nitro"
    app_name: str  # the app the table's introduction names
    rows: tuple[SeedRow, ...]
    #: Directory roles named by the table's "Additional role requirements", if any.
    roles: tuple[str, ...]
    #: The table's text before the rows (role and Azure notes live there).
    intro: str


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def permission_tables() -> dict[str, SeedTable]:
    """The permission tables of the "Manage Customer App Profiles" page, by title."""
    tables: dict[str, SeedTable] = {}
    lines = _lines(PROFILES_PAGE)
    starts = [i for i, line in enumerate(lines) if _TITLE.match(line)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start + 1 : end]
        header = block.index("APIPermissionType")
        intro = " ".join(block[:header])
        rows = []
        for line in block[header + 1 :]:
            if not line:
                break
            match = _ROW.match(line)
            assert match, f"unreadable permission row: {line!r}"
            # Some descriptions are spaced with no-break spaces: page layout, not text.
            description = match["description"].replace("\u00a0", " ")
            rows.append(SeedRow(match["head"], description, match["type"]))
        app = _APP_IN_INTRO.search(intro)
        assert app, f"no app named in the introduction of {lines[start]!r}"
        roles = _ROLES.search(intro)
        tables[_TITLE.match(lines[start])["what"]] = SeedTable(  # type: ignore[index]
            title=lines[start],
            app_name=app["app"],
            rows=tuple(rows),
            roles=_split_names(roles["roles"]) if roles else (),
            intro=intro,
        )
    return tables


def _split_names(text: str) -> tuple[str, ...]:
    """ "A, B, and C" or "A and B" -> (A, B, C)."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", text)
    return tuple(p.strip() for p in parts if p.strip())


def wizard_services() -> tuple[list[str], list[str]]:
    """The premium and AOS services that the create wizard's step 2 lists."""
    lines = _lines(PROFILES_PAGE)
    start = next(i for i, line in enumerate(lines) if line.startswith("2. Select services"))
    premium: list[str] = []
    aos: list[str] = []
    target = premium
    for line in lines[start + 1 :]:
        if line.startswith("3. "):
            break
        if line == "• AOS Services":
            target = aos
        elif line.startswith("• ") and line != "• Elements premium services":
            target.append(line[2:].split(" – ")[0])
    return premium, aos


def user_consent_rows(service_names: Iterable[str]) -> list[tuple[tuple[str, ...], str]]:
    """The user-consent table of the re-authorization page as (services, app type) rows.

    A cell that spans several services reads as their names run together (sometimes with a
    space), so leading service names are peeled off while what follows still starts a new
    name; what remains is the app type.
    """
    names = sorted(service_names, key=len, reverse=True)
    lines = _lines(REAUTHORIZE_PAGE)
    start = lines.index("ServiceApp type (in AOS)")
    rows = []
    for line in lines[start + 1 :]:
        if not line:
            break
        services: list[str] = []
        rest = line
        while True:
            peeled = next((n for n in names if _peels(rest, n, names)), None)
            if peeled is None:
                break
            services.append(peeled)
            rest = rest[len(peeled) :].lstrip()
        rows.append((tuple(services), rest))
    return rows


def _peels(text: str, name: str, names: list[str]) -> bool:
    if not text.startswith(name):
        return False
    rest = text[len(name) :]
    if not rest.strip():
        return False  # the app type is named like its service ("MyHubMyHub")
    if not rest[0].isspace():
        return True
    return any(rest.lstrip().startswith(n) for n in names)  # "Insights Fly..."


def delegated_app_functions() -> list[str]:
    """The functions the Cloud Backup for Microsoft 365 Delegated app supports (bold list)."""
    text = REAUTHORIZE_PAGE.read_text(encoding="utf-8")
    start = text.index("supported by the **Delegated app**:")
    end = text.index("> ***Note", start)
    return re.findall(r"- \*\*(.+?)\*\*", text[start:end])
