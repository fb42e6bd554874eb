"""Entry point of the frozen app: the same ``main`` as ``python -m desktop``."""

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
