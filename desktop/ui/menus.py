"""Fills the main window's menus with the actions the screens already have.

Menus, toolbar and the list's context menu share one set of QActions (shortcuts and icons
included), so a key, a menu entry and a button always do the same thing and are enabled alike.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.ui.lazy_page import LazyPage
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage


def fill_menus(
    window: MainWindow, page: ProfilesPage, connect_action: QAction | None = None
) -> QMenu:
    """Put the profile list's actions in File, Edit, Profiles and View (with *connect_action*,
    Connect this tenant…, after Customers and tenants); returns View's Columns submenu."""
    window.file_menu.insertAction(window.quit_action, page.export_action)
    window.file_menu.insertSeparator(window.quit_action)
    window.edit_menu.addAction(page.find_action)
    page.find_action.triggered.connect(lambda: _find_on_current_page(window, page))
    menu = window.profiles_menu
    menu.addAction(page.create_action)
    menu.addSeparator()
    for action in (page.check_selected_action, page.check_all_action):
        if action is not None:
            menu.addAction(action)
    menu.addSeparator()
    for action in (
        page.reauth_action,
        page.reauth_any_action,
        page.details_action,
        page.copy_tenant_action,
        page.delete_action,
    ):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(page.customers_action)
    if connect_action is not None:
        menu.addAction(connect_action)
    menu.addAction(page.refresh_action)
    columns = window.view_menu.addMenu("&Columns")
    columns.setObjectName("ColumnsMenu")
    columns.aboutToShow.connect(lambda: _refill(columns, page.columns.fill_menu))
    _give_icons_on_first_show(window, page, connect_action)
    return columns


def _refill(menu: QMenu, fill: Callable[[QMenu], None]) -> None:
    menu.clear()
    fill(menu)


def _find_on_current_page(window: MainWindow, page: ProfilesPage) -> None:
    """Edit → Find searches the page that is showing (each page has its own search box)."""
    current: QWidget | None = window.tabs.currentWidget()
    if isinstance(current, LazyPage):
        current = current.built_page
    if current is page or current is None:
        return  # the page's own slot already focused its search box
    focus = getattr(current, "focus_search", None)
    if callable(focus):
        focus()


def _give_icons_on_first_show(
    window: MainWindow, page: ProfilesPage, connect_action: QAction | None = None
) -> None:
    menus = (window.file_menu, window.edit_menu, window.profiles_menu, window.help_menu)
    done: list[bool] = []

    def give() -> None:
        if done:
            return
        done.append(True)
        from desktop.ui.action_icons import give_icons  # the style's icons, on first need

        kinds = {**page.icon_kinds(), "quit": [window.quit_action]}
        if connect_action is not None:
            kinds["connect"] = [connect_action]
        give_icons(kinds)

    for menu in menus:
        menu.aboutToShow.connect(give)
