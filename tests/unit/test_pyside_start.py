"""The launchers load PySide without its per-module source scan (``desktop/pyside_start.py``)."""

from __future__ import annotations

import json

from tests.helpers.fixtures import run_python

_PROBE = """
import json, sys
from desktop.pyside_start import load_pyside
loaded = load_pyside()
feature = sys.modules["shibokensupport.feature"]
scanned = []
scan = feature._mod_uses_pyside
feature._mod_uses_pyside = lambda module: scanned.append(module.__name__) or scan(module)
import desktop.ui.lazy_page, desktop.core.errors, json.decoder
table = feature.pyside_feature_dict
print(json.dumps({
    "loaded": loaded,
    "scanned": scanned,
    "values": [table.get(n) for n in ("desktop.ui.lazy_page", "desktop.core.errors", "json")],
}))
"""


def test_modules_imported_after_pyside_are_not_scanned() -> None:
    completed = run_python(["-c", _PROBE])
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["loaded"] is True
    # PySide still looks at its own modules (extension modules: no source to read).
    assert [n for n in report["scanned"] if not n.startswith(("PySide6", "shiboken"))] == []
    # The app's own modules get PySide's default feature set; others are "not PySide".
    assert report["values"] == [0, 0, -1]
