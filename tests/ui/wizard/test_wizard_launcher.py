"""The launcher opens one wizard at a time, with fresh state for every run."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.loader import load_shipped
from tests.helpers import wizard_fakes

from desktop.ui.wizard.launcher import WizardLauncher


def test_one_wizard_at_a_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner()
    launcher = WizardLauncher(load_shipped, wizard_fakes.services, runner, parent)
    launcher.open()
    first = launcher.dialog
    assert first is not None and first.isVisible()
    launcher.open()
    assert launcher.dialog is first
    qtbot.waitUntil(lambda: first.customer_page.loaded)
    first.machine.state.service_ids = ("nitro",)  # state that must not leak into a new run
    first.reject()
    assert launcher.dialog is None
    launcher.open()
    assert launcher.dialog is not None and launcher.dialog is not first
    assert launcher.dialog.machine.state.service_ids == ()
    with qtbot.waitSignal(launcher.profiles_saved):
        launcher.dialog.profiles_saved.emit([])
    launcher.dialog.reject()
    runner.wait_for_done(5000)
