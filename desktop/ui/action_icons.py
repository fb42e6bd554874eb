"""Icons for the window's actions, from the style (menus show them; the toolbar is text).

Set the first time a menu opens: building the style's icon set costs time the first paint
does not need.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QStyle

_ICONS = {
    "create": QStyle.StandardPixmap.SP_FileDialogNewFolder,
    "reauthorize": QStyle.StandardPixmap.SP_BrowserReload,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
    "details": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "customers": QStyle.StandardPixmap.SP_DirHomeIcon,
    "connect": QStyle.StandardPixmap.SP_DriveNetIcon,
    "refresh": QStyle.StandardPixmap.SP_BrowserReload,
    "export": QStyle.StandardPixmap.SP_DialogSaveButton,
    "find": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "check": QStyle.StandardPixmap.SP_DialogApplyButton,
    "copy": QStyle.StandardPixmap.SP_FileLinkIcon,
    "quit": QStyle.StandardPixmap.SP_DialogCloseButton,
    "about": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "folder": QStyle.StandardPixmap.SP_DirOpenIcon,
    "help": QStyle.StandardPixmap.SP_DialogHelpButton,
    "expiry": QStyle.StandardPixmap.SP_MessageBoxWarning,
}


def give_icons(actions: dict[str, list[QAction]]) -> None:
    """Give each action the style's icon for its kind (menus show them; the toolbar is text)."""
    style = QApplication.style()
    for kind, group in actions.items():
        for action in group:
            if action.icon().isNull():
                action.setIcon(style.standardIcon(_ICONS[kind]))
