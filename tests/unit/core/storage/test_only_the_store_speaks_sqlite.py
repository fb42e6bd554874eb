"""Only the SQLite module family (``desktop/core/store``) imports ``sqlite3``."""

from __future__ import annotations

import re
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[4] / "desktop"
SQLITE_FAMILY = DESKTOP / "core" / "store"
_IMPORT = re.compile(r"^\s*(import\s+sqlite3\b|from\s+sqlite3\b)", re.MULTILINE)


def test_no_module_outside_the_store_imports_sqlite3() -> None:
    offenders = [
        str(path.relative_to(DESKTOP.parent))
        for path in sorted(DESKTOP.rglob("*.py"))
        if SQLITE_FAMILY not in path.parents and _IMPORT.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_check_sees_an_import() -> None:
    assert _IMPORT.search("x = 1\nimport sqlite3\n")
    assert _IMPORT.search("    from sqlite3 import Connection\n")
    assert not _IMPORT.search('paths = "profiles.sqlite3"\n')


def test_the_storage_interface_imports_without_sqlite3() -> None:
    for module in ("interface", "types"):
        text = (DESKTOP / "core" / "storage" / f"{module}.py").read_text("utf-8")
        assert "desktop.core.store" not in text.replace("desktop.core.storage", "")
        assert not _IMPORT.search(text)
