"""``desktop.core`` must import with Qt unavailable (DESIGN.md, architecture)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.helpers.fixtures import REPO_ROOT

BLOCK_QT_AND_IMPORT_CORE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    import desktop.core as core
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "desktop.core.")]
    for name in names:
        importlib.import_module(name)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"})
    assert not leaked, leaked
    print(len(names))
    """
)


def test_core_imports_without_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_QT_AND_IMPORT_CORE],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 3  # the walk really found core modules


def test_blocker_really_blocks_qt() -> None:
    """The probe above can fail: importing Qt under the blocker raises."""
    script = BLOCK_QT_AND_IMPORT_CORE.replace("import desktop.core as core", "import PySide6")
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode != 0
    assert "Qt is blocked" in proc.stderr
