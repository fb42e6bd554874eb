"""``python -m desktop`` starts the GUI."""

from __future__ import annotations

import sys

from desktop.app import main

sys.exit(main())
