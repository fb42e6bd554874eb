"""The profile list's "Create app profile" opens the wizard, and Save reloads the list."""

from __future__ import annotations

from pathlib import Path

from desktop.app import build_context, build_window
from desktop.core.paths import DataPaths

from desktop.ui.wizard.dialog import CreateProfileDialog


def test_create_action_opens_the_wizard(qtbot, data_home: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = build_context(DataPaths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    page = ctx.profiles_page
    assert page is not None and page.offers(page.create_requested)
    page.create_action.trigger()
    dialogs = window.findChildren(CreateProfileDialog)
    assert len(dialogs) == 1
    wizard = dialogs[0]
    qtbot.waitUntil(lambda: wizard.customer_page.loaded, timeout=10_000)
    assert wizard.customer_page.customer_box.count() == 2  # the prompt and "New customer…"
    reloads: list[bool] = []
    page.controller.first_rows.connect(lambda _page: reloads.append(True))
    wizard.profiles_saved.emit([])
    qtbot.waitUntil(lambda: bool(reloads), timeout=10_000)
    wizard.reject()
    ctx.runner.cancel_all()
    ctx.runner.wait_for_done(5000)
