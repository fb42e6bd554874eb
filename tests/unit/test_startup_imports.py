"""The start path imports no heavy library: msal, requests, cryptography and keyring load
lazily, when a feature first needs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.app import ON_DEMAND_MODULES
from tests.helpers.fixtures import run_python

#: Packages that on-demand modules live in and that the start path loads anyway.
PACKAGES_ON_THE_START_PATH = {
    "desktop.ui",
    "desktop.controllers",
    "desktop.ui.profiles",
    "desktop.ui.wizard",
}

HEAVY = ("msal", "requests", "cryptography", "keyring", "jwt", "urllib3")

_PROBE = f"""
import json, sys
import desktop.app
after_import = sorted(m for m in {HEAVY!r} if m in sys.modules)
code = desktop.app.main(["--self-test"])
after_start = sorted(m for m in {HEAVY!r} if m in sys.modules)
print(json.dumps({{"code": code, "import": after_import, "start": after_start}}))
"""


def _start(data_home: Path, probe: str) -> dict[str, Any]:
    """Run *probe* (which starts the app with ``--self-test``) offscreen; its JSON report."""
    env = {"QT_QPA_PLATFORM": "offscreen", "APP_PROFILES_HOME": str(data_home)}
    completed = run_python(["-c", probe], env=env)
    assert completed.stdout.strip(), completed.stderr
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, completed.stderr
    return report


def test_heavy_modules_stay_off_the_start_path(data_home: Path) -> None:
    report = _start(data_home, _PROBE)
    assert report["import"] == [], f"imported by `import desktop.app`: {report['import']}"
    assert report["start"] == [], f"imported while starting: {report['start']}"


_ON_DEMAND_PROBE = f"""
import gc, json, sys
gc.disable()  # as the launchers do
import desktop.app
code = desktop.app.main(["--self-test"])
packages = {{m.rpartition(".")[0] for m in {ON_DEMAND_MODULES!r}}}
started = sorted(m for m in {{*{ON_DEMAND_MODULES!r}, *packages}} if m in sys.modules)
print(json.dumps({{"code": code, "start": started, "gc": gc.isenabled()}}))
"""


def test_on_demand_screens_stay_off_the_start_path(data_home: Path) -> None:
    report = _start(data_home, _ON_DEMAND_PROBE)
    # Their packages were already loaded by the start path, or stay unloaded (the self-test's
    # check that every on-demand module ships runs no package's __init__).
    assert "desktop.core.wizard" not in report["start"]
    started = set(report["start"]) - PACKAGES_ON_THE_START_PATH
    assert not started & set(ON_DEMAND_MODULES), f"imported while starting: {report['start']}"
    assert report["gc"], "the garbage collector is back on once the window is built"


def test_self_test_finds_every_on_demand_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.app

    assert desktop.app.missing_on_demand_modules() == []
    monkeypatch.setattr(
        desktop.app, "ON_DEMAND_MODULES", (*ON_DEMAND_MODULES, "desktop.ui.no_such_screen")
    )
    assert desktop.app.missing_on_demand_modules() == ["desktop.ui.no_such_screen"]


def test_module_findable_runs_no_package_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.app

    package = tmp_path / "probe_pkg" / "inner"
    package.mkdir(parents=True)
    for folder in (package.parent, package):
        (folder / "__init__.py").write_text("raise RuntimeError('imported')\n", encoding="utf-8")
    (package / "screen.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    assert desktop.app.module_findable("probe_pkg.inner.screen")
    assert not desktop.app.module_findable("probe_pkg.inner.no_such_screen")
    assert not desktop.app.module_findable("probe_pkg.no_such_package.screen")
    assert not desktop.app.module_findable("probe_pkg.inner.screen.not_a_package")
    assert "probe_pkg" not in sys.modules
