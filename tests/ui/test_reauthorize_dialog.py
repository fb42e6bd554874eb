"""The Re-authorize dialog end to end: choices, consent (a stand-in engine), the check after it,
the stored history entry, and screenshots for three different reasons."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.reauthorize import ReauthorizeController
from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants
from desktop.core.checks.status_rules import classify
from desktop.core.domain import AppProfile, Status
from desktop.core.identity.reconsent import ReconsentWarning
from desktop.core.reauthorize.flow import ReauthorizeRequest, options_for, reauthorize
from tests.helpers.check_fakes import (
    FakeConsentEngine,
    FakeCredentials,
    MemoryCheckStore,
    ScriptedGateway,
    profile,
)

from desktop.ui.reauthorize_dialog import RESULT_TITLE, ReauthorizeDialog

CATALOG = load_shipped()


def invalid(p: AppProfile, code: int, description: str = "") -> AppProfile:
    app = CATALOG.app_type(p.app_type_id)
    verdict = classify(
        "invalid_grant", [code], description, user=p.consenting_user,
        supports_user_consent=app.supports_user_consent,
    )  # fmt: skip
    assert verdict.status is not None
    return replace(p, status=verdict.status, reason=verdict.reason, remedy=verdict.remedy)


def open_dialog(
    qtbot: QtBot,
    p: AppProfile,
    engine: FakeConsentEngine,
    gateway: ScriptedGateway,
    warning: ReconsentWarning | None = None,
) -> tuple[ReauthorizeDialog, MemoryCheckStore]:
    store = MemoryCheckStore([p])
    checker = ProfileChecker(CATALOG, gateway, FakeCredentials(), client_id_for=lambda a: "c1")

    def run(request: ReauthorizeRequest, token: CancelToken):  # type: ignore[no-untyped-def]
        return reauthorize(request, store=store, engine=engine, checker=checker, token=token)

    runner = TaskRunner()
    controller = ReauthorizeController(
        runner, run, read_warning=(lambda: warning) if warning is not None else None
    )
    app = CATALOG.app_type(p.app_type_id)
    dialog = ReauthorizeDialog(p, app.name, options_for(p, app), controller)
    dialog._keep = (runner, controller)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    return dialog, store


def shot(dialog: ReauthorizeDialog, name: str) -> None:
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        dialog.adjustSize()
        dialog.grab().save(str(Path(folder) / f"reauthorize-{name}.png"))


def custom_profile() -> AppProfile:
    p = profile("custom-azure-app", id=5, mode=SetupMode.CUSTOM)
    return invalid(p, 700027, "The key was not found.")


def all_granted(app_type_id: str) -> ScriptedGateway:
    from desktop.core.catalog.model import PermissionType

    app = CATALOG.app_type(app_type_id)
    application = frozenset(p.name for p in app.permissions_of(PermissionType.APPLICATION))
    delegated = frozenset(p.name for p in app.permissions_of(PermissionType.DELEGATED))
    roles = frozenset(r.name for r in app.directory_roles)
    return ScriptedGateway(
        app={"roles": sorted(application)},
        user={"scp": " ".join(sorted(delegated))},
        grants=Grants(True, application, delegated, roles),
        roles=roles,
    )


def test_custom_app_with_a_changed_certificate(qtbot: QtBot) -> None:
    p = custom_profile()
    engine = FakeConsentEngine()
    dialog, store = open_dialog(qtbot, p, engine, all_granted("custom-azure-app"))
    dialog.show()
    shot(dialog, "certificate-changed")
    assert "no longer knows this certificate" in dialog.why.text()
    assert dialog.app_id is not None and dialog.certificate is not None
    assert not dialog.user.isEnabled()  # the custom Azure app supports administrator consent only
    assert dialog.note is None  # application permissions only: no Conditional Access note
    dialog.app_id.setText("not-a-guid")
    dialog.go.click()
    assert dialog.outcome.isVisible() and "not a GUID" in dialog.outcome.text()
    assert engine.requests == []
    new_id = "44444444-4444-4444-4444-444444444444"
    dialog.app_id.setText(new_id)
    with qtbot.waitSignal(dialog.reauthorized, timeout=10_000) as blocker:
        dialog.go.click()
    result = blocker.args[0]
    assert result.status is Status.VALID
    (request,) = engine.requests
    assert request.custom_app_id == new_id and request.method is ConsentMethod.ADMIN
    saved, detail = store.reauthorized[0]
    assert saved.custom_app_id == new_id and not saved.reauthorization_required
    assert "administrator consent" in detail
    assert [r.status for r in store.recorded] == [Status.VALID]  # type: ignore[attr-defined]
    assert "Valid" in dialog.outcome.text() and dialog.close_button.isVisible()
    # The box says what the check found now, not the stale reason beside the new status.
    assert dialog.why_box.title() == RESULT_TITLE
    assert dialog.status_label.text() == "Status: Valid"
    assert dialog.why.text() == result.reason and "no longer knows" not in dialog.why.text()


def test_delegated_app_after_mfa_offers_user_consent_and_functions(qtbot: QtBot) -> None:
    p = profile(
        "cloud-backup-m365-delegated-app", id=6, consenting_user="ann@contoso.com",
        consent_method=ConsentMethod.USER, functions=("power-bi",),
    )  # fmt: skip
    p = invalid(p, 50076)
    engine = FakeConsentEngine(user="ann@contoso.com")
    dialog, store = open_dialog(qtbot, p, engine, all_granted("cloud-backup-m365-delegated-app"))
    dialog.show()
    shot(dialog, "mfa-enabled")
    assert "Multi-factor authentication was enabled for ann@contoso.com" in dialog.why.text()
    assert dialog.user.isEnabled() and dialog.user.isChecked()
    assert set(dialog.function_boxes) == {
        "teams-channel-posts", "power-bi", "power-automate-power-apps", "planner-task-comments",
    }  # fmt: skip
    assert dialog.function_boxes["power-bi"].isChecked()
    assert dialog.note is not None  # delegated permissions: the original-IP note
    dialog.function_boxes["planner-task-comments"].setChecked(True)
    with qtbot.waitSignal(dialog.reauthorized, timeout=10_000):
        dialog.go.click()
    (request,) = engine.requests
    assert request.method is ConsentMethod.USER
    assert set(request.functions) == {"power-bi", "planner-task-comments"}
    assert set(store.reauthorized[0][0].functions) == {"power-bi", "planner-task-comments"}


def test_conditional_access_block_shows_the_note_and_a_decline_is_plain(qtbot: QtBot) -> None:
    p = invalid(profile("apelements-baseline-management", id=7), 53003)
    engine = FakeConsentEngine("decline")
    dialog, store = open_dialog(qtbot, p, engine, all_granted("apelements-baseline-management"))
    dialog.show()
    assert dialog.note is not None and "original IP" in dialog.note.text()
    assert "Conditional Access" in dialog.why.text()
    assert not dialog.user.isEnabled()
    with qtbot.waitSignal(dialog._controller.failed, timeout=10_000):
        dialog.go.click()
    shot(dialog, "conditional-access-declined")
    assert "Not re-authorized" in dialog.outcome.text() and "declined" in dialog.outcome.text()
    assert store.reauthorized == [] and store.recorded == []
    assert dialog.go.isEnabled()  # they can try again


def test_cancel_while_waiting_for_the_browser(qtbot: QtBot) -> None:
    p = custom_profile()
    engine = FakeConsentEngine("wait")
    dialog, store = open_dialog(qtbot, p, engine, all_granted("custom-azure-app"))
    dialog.show()
    dialog.go.click()
    qtbot.waitUntil(lambda: dialog.busy.isVisible(), timeout=5_000)
    with qtbot.waitSignal(dialog._controller.cancelled, timeout=10_000):
        dialog.cancel_button.click()
    assert "Nothing was changed" in dialog.outcome.text()
    assert store.reauthorized == []


def test_user_consent_is_refused_for_admin_only_apps() -> None:
    from desktop.core.errors import UserError
    from desktop.core.reauthorize.flow import validate

    p = custom_profile()
    app = CATALOG.app_type(p.app_type_id)
    with pytest.raises(UserError, match="does not support user consent"):
        validate(ReauthorizeRequest(5, ConsentMethod.USER), app, p)


def test_a_pasted_error_page_code_is_explained_and_ends_the_wait(qtbot: QtBot) -> None:
    p = custom_profile()
    engine = FakeConsentEngine("wait")
    dialog, store = open_dialog(qtbot, p, engine, all_granted("custom-azure-app"))
    dialog.show()
    assert not dialog.error_help.isVisible()
    dialog.go.click()
    qtbot.waitUntil(lambda: dialog.error_help.isVisible(), timeout=5_000)
    assert "Microsoft error page" in dialog.error_help.hint.text()
    assert dialog.cancel_button.isEnabled()  # Cancel is offered at once
    shot(dialog, "waiting")
    dialog.error_help.pasted.setText("AADSTS50020: User account does not exist in tenant.")
    with qtbot.waitSignal(dialog._controller.cancelled, timeout=10_000):
        dialog.error_help.explain_button.click()
    assert "another organization" in dialog.error_help.explanation.text()
    assert dialog.error_help.explanation.isVisible()  # stays after the wait ended
    assert not dialog.error_help.hint.isVisible()
    assert store.reauthorized == []


def test_admin_reconsent_first_lists_the_grants_it_may_revoke(qtbot: QtBot) -> None:
    p = custom_profile()
    engine = FakeConsentEngine()
    now = ReconsentWarning(("Microsoft Graph: User.Read.All (Application)",))
    dialog, _store = open_dialog(qtbot, p, engine, all_granted("custom-azure-app"), now)
    dialog.show()
    dialog.go.click()
    qtbot.waitUntil(lambda: dialog.reconsent.isVisible(), timeout=5_000)
    assert "may revoke" in dialog.reconsent.text()
    assert "User.Read.All (Application)" in dialog.reconsent.text()
    assert engine.requests == []  # nothing consented before the technician goes on
    shot(dialog, "reconsent-warning")
    assert "anyway" in dialog.go.text().lower()
    with qtbot.waitSignal(dialog.reauthorized, timeout=10_000):
        dialog.go.click()
    assert len(engine.requests) == 1


def test_unreadable_grants_are_said_and_nothing_found_goes_straight_on(qtbot: QtBot) -> None:
    p = custom_profile()
    unread = ReconsentWarning(unreadable="no technician is signed in to this tenant")
    dialog, _ = open_dialog(qtbot, p, FakeConsentEngine(), all_granted("custom-azure-app"), unread)
    dialog.show()
    dialog.go.click()
    qtbot.waitUntil(lambda: dialog.reconsent.isVisible(), timeout=5_000)
    assert "could not be read" in dialog.reconsent.text()
    engine = FakeConsentEngine()
    quiet, _ = open_dialog(qtbot, p, engine, all_granted("custom-azure-app"), ReconsentWarning())
    quiet.show()
    with qtbot.waitSignal(quiet.reauthorized, timeout=10_000):
        quiet.go.click()
    assert not quiet.reconsent.isVisible() and len(engine.requests) == 1


def test_a_long_reason_scrolls_instead_of_being_cut(qtbot: QtBot) -> None:
    names = ", ".join(f"Permission{i}.ReadWrite.All" for i in range(50))
    p = replace(custom_profile(), reason=f"Required permissions are missing: {names}.")
    app = CATALOG.app_type(p.app_type_id)
    options = replace(options_for(p, app), why=p.reason)
    dialog, _ = open_dialog(qtbot, p, FakeConsentEngine(), all_granted("custom-azure-app"))
    dialog = ReauthorizeDialog(p, app.name, options, dialog._controller)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.why.text() == p.reason
    bar = dialog.why_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the rest is a scroll away, and the dialog stays on screen
    assert dialog.why_scroll.height() < dialog.why.heightForWidth(dialog.why.width())
