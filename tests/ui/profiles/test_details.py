"""The profile details dialog: Enter closes it; its actions are asked for by signal."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import AppProfile, Cloud, Status, Tenant
from desktop.core.inventory import ProfileDetails
from tests.helpers.inventory import CONTOSO_TID, shipped_catalog, small_inventory
from tests.ui.profiles.test_page import _page, _select

from desktop.ui.profiles.details import CLASSIC_REAUTHORIZE_NOTE, ProfileDetailsDialog

DELEGATED_APP = "cloud-backup-m365-delegated-app"
LONG_REASON = "Required permissions are missing: " + ", ".join(
    f"Permission{i}.ReadWrite.All" for i in range(40)
)


def _details(
    app_type_id: str = DELEGATED_APP,
    mode: SetupMode = SetupMode.MODERN,
    reason: str = "The consenting user left.",
) -> ProfileDetails:
    profile = AppProfile(
        name="Delegated App – contoso.onmicrosoft.com",
        customer_id=1,
        tenant_id=CONTOSO_TID,
        service_ids=("cloud-backup-m365",),
        app_type_id=app_type_id,
        mode=mode,
        status=Status.INVALID,
        reason=reason,
        consenting_user="ana@contoso.onmicrosoft.com",
        id=7,
    )
    tenant = Tenant(CONTOSO_TID, 1, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL)
    return ProfileDetails(profile, "Contoso", tenant, ())


def _dialog(qtbot: QtBot, details: ProfileDetails) -> ProfileDetailsDialog:
    dialog = ProfileDetailsDialog(details, shipped_catalog())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_closes_and_records_no_event(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _details())
    assert dialog.user_left is not None and dialog.mfa_enabled is not None
    marks: list[str] = []
    dialog.mark_requested.connect(marks.append)
    for button in (dialog.user_left, dialog.mfa_enabled):
        assert not button.autoDefault() and not button.isDefault()
    dialog.history.setFocus()
    qtbot.keyClick(dialog.history, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert marks == []


def test_reauthorize_and_check_now_are_forwarded(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _details())
    with qtbot.waitSignal(dialog.reauthorize_requested):
        qtbot.mouseClick(dialog.reauthorize_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()  # the re-authorize dialog takes its place

    dialog = _dialog(qtbot, _details())
    with qtbot.waitSignal(dialog.check_requested):
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_classic_profiles_are_reauthorized_elsewhere(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _details("microsoft-365-all-permissions", SetupMode.CLASSIC))
    assert not dialog.reauthorize_button.isEnabled()
    assert "AvePoint Online Services" in dialog.reauthorize_button.toolTip()
    assert dialog.classic_note is not None
    assert dialog.classic_note.text() == CLASSIC_REAUTHORIZE_NOTE


def test_long_reason_scrolls_instead_of_being_cut(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, _details(reason=LONG_REASON))
    reason = dialog.fields["Reason"]
    assert reason.text() == LONG_REASON and reason.wordWrap()
    assert reason.height() >= reason.heightForWidth(reason.width())  # every line laid out
    area = dialog.scroll_areas["Reason"]
    assert area.verticalScrollBar().maximum() > 0  # and the ones below reached by scrolling
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    bottom = reason.mapTo(area.viewport(), reason.rect().bottomLeft()).y()
    assert bottom <= area.viewport().height()


def test_page_runs_the_details_actions_for_its_profile(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page, _ = _page(qtbot, data_home, runner)
    asked: list[tuple[str, list[int]]] = []
    page.reauthorize_requested.connect(lambda ids: asked.append(("reauthorize", ids)))
    page.check_requested.connect(lambda ids: asked.append(("check", ids)))
    _select(page, "Contoso Baseline")
    with qtbot.waitSignal(page.details_shown, timeout=10_000):
        page.open_details()
    dialog = page.details_dialog
    assert dialog is not None
    profile_id = next(
        page.model.row_at(r).id
        for r in range(page.model.rowCount())
        if page.model.row_at(r).name == "Contoso Baseline"
    )
    dialog.reauthorize_button.click()
    with qtbot.waitSignal(page.details_shown, timeout=10_000):
        page.open_details()
    assert page.details_dialog is not None
    page.details_dialog.check_button.click()
    assert asked == [("reauthorize", [profile_id]), ("check", [profile_id])]
