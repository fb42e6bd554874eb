"""Loads PySide6 for the launchers, without PySide's per-module source scan.

PySide installs an import hook that, once for every module imported after it, reads the
module's source file to find out whether the module uses PySide, for its opt-in ``__feature__``
switches (``snake_case``, ``true_property``). This app uses no such switch, and the scan costs
about 6 ms of start-up (some 100 modules). :func:`load_pyside` records every module as "no
feature selection" before the hook looks, which is the answer the scan gives in this app.

Only the launchers call it; an import of ``desktop.app`` (tests, tools) leaves PySide as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: The answer PySide's scan gives: 0, the default feature set, for a module that uses PySide;
#: -1, "not a PySide module", for the rest. Without any ``__feature__`` import they behave alike.
_USES_PYSIDE = 0
_NO_PYSIDE = -1


class _FeatureScanSkipper:
    """A meta path entry that finds nothing; it only answers PySide's question in advance."""

    def __init__(self, table: dict[str, int]) -> None:
        self._table = table

    def find_spec(
        self,
        name: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if name not in self._table:
            ours = name == "desktop" or name.startswith("desktop.")
            self._table[name] = _USES_PYSIDE if ours else _NO_PYSIDE
        return None


def load_pyside() -> bool:
    """Import PySide6's core and turn its source scan into a table look-up.

    Returns False (and changes nothing) when this PySide has no such scan.
    """
    import PySide6.QtCore  # noqa: F401 (installs the import hook)

    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict) or not callable(getattr(feature, "feature_imported", None)):
        return False
    # Modules loaded before PySide are imported again by name later; none of them uses PySide.
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken6", "shibokensupport")):
            table.setdefault(name, _NO_PYSIDE)
    sys.meta_path.insert(0, _FeatureScanSkipper(table))
    return True
