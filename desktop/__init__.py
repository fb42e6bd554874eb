"""App Profile Manager: manage the Microsoft 365 app profiles of an MSP's customers."""

from __future__ import annotations

APP_NAME = "App Profile Manager"
APP_ID = "app-profile-manager"
ORG_NAME = "AppProfileManager"

#: The single source of the version (pyproject.toml reads it). A constant, not
#: importlib.metadata: that import alone costs ~15 ms on every start.
__version__ = "0.1.0"
