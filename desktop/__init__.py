"""App Profile Manager: manage the Microsoft 365 app profiles of an MSP's customers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "App Profile Manager"
APP_ID = "app-profile-manager"
ORG_NAME = "AppProfileManager"

try:
    __version__ = version("app-profile-manager")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
