"""Entry point of the frozen app: the same ``main`` as ``python -m desktop``."""

import gc
import sys

# As in ``desktop/__main__.py``: no collections during start-up; main() turns them back on.
gc.disable()

from desktop.pyside_start import load_pyside  # noqa: E402

load_pyside()  # before the app's modules: see its docstring

from desktop.app import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
