"""The permissions viewer: browse, search, compare and export what each app needs."""

from __future__ import annotations

from desktop.ui.permissions.page import PermissionsPage

__all__ = ["PermissionsPage"]
