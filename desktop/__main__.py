"""``python -m desktop`` starts the GUI."""

from __future__ import annotations

import gc
import sys

# No collections while importing and building the window (a few ms of pure overhead: start-up
# makes many long-lived objects and few cycles); main() turns the collector back on.
gc.disable()

from desktop.pyside_start import load_pyside  # noqa: E402

load_pyside()  # before the app's modules: see its docstring

from desktop.app import main  # noqa: E402

sys.exit(main())
