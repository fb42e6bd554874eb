"""Checks on the profile list: Check all streams results into the rows, Cancel, the summary,
and the Re-authorize action opens the dialog with the profile's reason."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants, TokenError, TransientFailure
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.service import CheckService
from desktop.core.checks.status_rules import Action
from desktop.core.demo import seed_demo
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from tests.helpers.check_fakes import FakeConsentEngine, FakeCredentials, ScriptedGateway
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog

from desktop.ui.checks_wiring import ChecksWiring, ReauthorizeParts
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.wiring import add_profiles_page


def _gateway(latency: float) -> ScriptedGateway:
    def app(tenant: str) -> object:
        if hash(tenant) % 4 == 0:
            return TokenError("invalid_client", (700027,), "The key was not found.", 401)
        return {"roles": []}

    everything = frozenset({"x"})
    return ScriptedGateway(
        app=app, latency=latency, grants=Grants(True, everything, everything, everything)
    )


def _build(  # type: ignore[no-untyped-def]
    qtbot: QtBot,
    home: Path,
    runner: TaskRunner,
    latency: float = 0.0,
    gateway: ScriptedGateway | None = None,
    client_id: str = "c1",
    cloud: str = "global",
    read_only: bool = False,
):
    paths = DataPaths(home).ensure()
    catalog = shipped_catalog()
    seed_demo(Inventory.open(paths).store, catalog, customers=8, profiles=60)
    if cloud != "global":  # every tenant in a national cloud
        with sqlite3.connect(paths.store) as db:
            db.execute("UPDATE tenants SET cloud = ?", (cloud,))
        db.close()
    dialogs = FakeDialogs()
    controller = InventoryController(paths, runner, catalog)
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, dialogs)  # type: ignore[arg-type]
    gateway = gateway or _gateway(latency)

    def service() -> CheckService:
        checker = ProfileChecker(
            catalog, gateway, FakeCredentials(), client_id_for=lambda a: client_id
        )
        store = InventoryCheckStore(controller.inventory())
        return CheckService(store, checker, read_only=lambda: read_only)

    def parts() -> ReauthorizeParts:
        svc = service()
        return ReauthorizeParts(
            svc, InventoryCheckStore(controller.inventory()), FakeConsentEngine()
        )

    wiring = ChecksWiring(page, runner, catalog, dialogs, service, parts)  # type: ignore[arg-type]
    window.resize(1280, 640)
    window.show()
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    return window, page, wiring, dialogs


def test_check_all_streams_into_the_list_and_reloads(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    window, page, wiring, _ = _build(qtbot, data_home, runner, latency=0.01)
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.all_button.click()
        qtbot.waitUntil(lambda: wiring.bar.progress.value() >= 5, timeout=10_000)
        folder = os.environ.get("CHECK_SHOTS")
        if folder:
            window.grab().save(str(Path(folder) / "profile-list-checking.png"))
    assert "Valid" in wiring.bar.summary.text() or "Invalid" in wiring.bar.summary.text()
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    statuses = {page.model.row_at(r).status for r in range(page.model.rowCount())}
    assert statuses <= {"Valid", "Invalid", "Expired", "Unknown"}
    checked = [page.model.row_at(r).last_checked for r in range(page.model.rowCount())]
    assert all(checked), "every checked profile has its last-checked time"


def test_a_read_only_members_check_all_is_shown_for_the_session_and_not_stored(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    window, page, wiring, _ = _build(qtbot, data_home, runner, read_only=True)
    inventory = Inventory.open(DataPaths(data_home))
    stored = {(p.id, p.status, p.last_checked) for p in inventory.profiles.all_rows()}
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.all_button.click()
    text = wiring.bar.summary.text()
    assert text.endswith(". Results not saved: your team role is read-only."), text
    assert "Invalid" in text, text
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert all(row.last_checked for row in rows), "the list shows the run's results"
    after = {(p.id, p.status, p.last_checked) for p in inventory.profiles.all_rows()}
    assert after == stored, "nothing was stored"
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        window.grab().save(str(Path(folder) / "profile-list-read-only-check.png"))


def test_counts_follow_results_while_a_check_runs(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    _, page, wiring, _ = _build(qtbot, data_home, runner, latency=0.2)
    before = page.counts.text()
    wiring.bar.all_button.click()

    def recounted_while_running() -> bool:
        running = wiring.bar.cancel_button.isVisible()
        return running and page.counts.text() != before

    # Unknown and Expired profiles come back Valid or Invalid: the counts line moves before
    # the run ends (the list reloads only then), and it counts the rows as they now stand.
    qtbot.waitUntil(recounted_while_running, timeout=10_000)
    assert page.counts.text() == page.model.counts_line()
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.cancel_button.click()


def test_check_all_waits_for_profiles(qtbot: QtBot, data_home: Path, runner: TaskRunner) -> None:
    paths = DataPaths(data_home).ensure()
    controller = InventoryController(paths, runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, FakeDialogs())  # type: ignore[arg-type]
    wiring = ChecksWiring(page, runner, shipped_catalog(), FakeDialogs(), lambda: None)  # type: ignore[arg-type,return-value]
    window.show()
    qtbot.waitUntil(page.self_test_ready, timeout=10_000)
    assert not wiring.bar.all_button.isEnabled()
    assert "no app profiles" in wiring.bar.all_button.toolTip()
    assert not wiring.bar.isVisible()  # the first-run page offers next steps, not checks
    seed_demo(Inventory.open(paths).store, shipped_catalog(), customers=1, profiles=3)
    with qtbot.waitSignal(controller.rows_loaded, timeout=10_000):
        page.reload()
    assert wiring.bar.all_button.isEnabled()
    assert wiring.bar.isVisible()


def test_cancel_on_the_list_keeps_finished_results(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    _, _page, wiring, _ = _build(qtbot, data_home, runner, latency=0.05)
    wiring.bar.all_button.click()
    qtbot.waitUntil(lambda: wiring.bar.progress.value() >= 3, timeout=10_000)
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.cancel_button.click()
    assert wiring.bar.summary.text().endswith("(cancelled)")
    assert wiring.bar.all_button.isEnabled()


def test_reauthorize_action_opens_the_dialog(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    _, page, wiring, _ = _build(qtbot, data_home, runner)
    row = next(
        r for r in range(page.model.rowCount())
        if page.model.row_at(r).status in ("Invalid", "Expired")
    )  # fmt: skip
    wiring.open_reauthorize([page.model.row_at(row).id])
    qtbot.waitUntil(lambda: wiring.dialog is not None and wiring.dialog.isVisible(), timeout=10_000)
    assert wiring.dialog is not None
    assert wiring.dialog.why.text()


def test_reauthorize_dialog_says_whether_you_can_consent_there(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, tmp_path: Path
) -> None:
    from desktop.controllers.tenant_access import TenantAccessController
    from desktop.core.identity.gdap import CLOUD_APPLICATION_ADMINISTRATOR
    from tests.helpers.gdap_fakes import StubCalls, StubSession

    from desktop.ui.consent_access_notice import REAUTHORIZE_ROUTES, ConsentAccessNotice

    _, page, wiring, _ = _build(qtbot, data_home, runner)
    session = StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR}))

    def notice(parent: QWidget) -> ConsentAccessNotice:
        calls = StubCalls(session, wiring.catalog)
        return ConsentAccessNotice(TenantAccessController(runner, calls, parent), parent)

    wiring.access_notice = notice
    row = next(
        r for r in range(page.model.rowCount())
        if page.model.row_at(r).status in ("Invalid", "Expired")
        and page.model.row_at(r).mode != "classic"
    )  # fmt: skip
    profile = page.model.row_at(row)
    wiring.open_reauthorize([profile.id])
    qtbot.waitUntil(lambda: wiring.dialog is not None and wiring.dialog.isVisible(), timeout=10_000)
    dialog = wiring.dialog
    assert dialog is not None and dialog.access_notice is not None
    shown = dialog.access_notice
    qtbot.waitUntil(lambda: shown.access is not None, timeout=5_000)
    assert session.asked == [profile.tenant_id]
    assert "Cloud Application Administrator" in shown.text.text()
    assert (profile.tenant_domain or profile.tenant_id) in shown.text.text()
    if "You cannot grant" in shown.text.text():
        assert REAUTHORIZE_ROUTES in shown.text.text()
    else:
        assert "you can grant admin consent for this app yourself" in shown.text.text()
    assert dialog.grab().save(str(tmp_path / "reauthorize-notice.png"))


def _delegated_valid_row(page, catalog) -> int:  # type: ignore[no-untyped-def]
    for r in range(page.model.rowCount()):
        row = page.model.row_at(r)
        if row.status != "Invalid" and catalog.app_type(row.app_type_id).has_delegated_permissions:
            return r
    raise AssertionError("the demo data has no delegated profile that is not Invalid")


def test_recording_user_left_marks_the_row_and_the_history(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    _, page, wiring, dialogs = _build(qtbot, data_home, runner)
    r = _delegated_valid_row(page, wiring.catalog)
    profile_id = page.model.row_at(r).id
    page.table.selectRow(r)
    assert page.user_left_action.isEnabled() and page.mfa_action.isEnabled()
    page.user_left_action.trigger()
    assert dialogs.confirms and "left the company" in dialogs.confirms[-1][0]
    qtbot.waitUntil(lambda: "Recorded for 1" in page.message.text(), timeout=10_000)

    def row():  # type: ignore[no-untyped-def]
        return page.model.row_at(page.model.row_of_profile(profile_id))

    qtbot.waitUntil(lambda: page._complete and row().status == "Invalid", timeout=10_000)
    assert row().reason.startswith("Re-authorization required")
    page.table.selectRow(page.model.row_of_profile(profile_id))
    page.open_details()
    qtbot.waitUntil(lambda: page.details_dialog is not None, timeout=10_000)
    details = page.details_dialog
    assert details is not None and details.user_left is not None
    history = details.history_model
    texts = [
        str(history.data(history.index(i, c))) for i in range(history.rowCount()) for c in (1, 2)
    ]
    assert any("left the company" in t for t in texts), texts
    # The details dialog records MFA the same way.
    details.mfa_enabled.click()  # type: ignore[union-attr]
    assert "MFA was enabled" in dialogs.confirms[-1][0]
    qtbot.waitUntil(lambda: "mfa was enabled" in page.message.text(), timeout=10_000)


def test_recording_for_an_application_only_profile_is_refused(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    _, page, wiring, dialogs = _build(qtbot, data_home, runner)
    r = next(
        r for r in range(page.model.rowCount())
        if not wiring.catalog.app_type(page.model.row_at(r).app_type_id).has_delegated_permissions
    )  # fmt: skip
    before = page.model.row_at(r)
    page.mark_selected("user_mfa_enabled", [before.id])
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=10_000)
    assert "no consenting user" in dialogs.errors[0]
    qtbot.wait(50)
    assert page.model.row_at(page.model.row_of_profile(before.id)).status == before.status


def test_failed_checks_name_the_cause_and_offer_sign_in_or_connect(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    # Nobody signed in: the partner's Graph token is missing, so publisher apps cannot be read.
    gateway = ScriptedGateway(app={"roles": []}, grants=None)
    _, page, wiring, _ = _build(qtbot, data_home, runner, gateway=gateway)
    signed_in = [False]
    asked: list[str] = []
    wiring.sign_in_requested.connect(lambda: asked.append("sign in"))
    wiring.signed_in = lambda: signed_in[0]
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.all_button.click()
    summary = wiring.bar.summary.text()
    assert "failed — status kept: sign in to check publisher apps" in summary
    assert "Sign in, then check again" in summary
    fix = wiring.bar.fix_button
    assert fix.isVisible() and fix.text() == "Sign in…"
    fix.click()
    assert asked == ["sign in"]
    # Signed in, and the customer-tenant token is refused as not connected (AADSTS90099): the
    # checks name the Connect this tenant action, which decides the fix.
    signed_in[0] = True
    gateway.grants = TransientFailure(
        "The sign-in app is not authorized in the tenant (AADSTS90099)",
        action=Action.CONNECT_TENANT,
    )
    qtbot.waitUntil(lambda: wiring.bar.all_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.all_button.click()
    assert "AADSTS90099). Connect the tenant to your sign-in" in wiring.bar.summary.text()
    assert fix.isVisible() and fix.text() == "Connect this tenant…"
    page.customers_requested.disconnect()  # the request is the behaviour; no dialog here
    with qtbot.waitSignal(page.customers_requested, timeout=1_000):
        fix.click()
    # With the app's Connect handler: Customers and tenants opens at a failed check's tenant.
    opened: list[str] = []
    wiring.connect_requested.connect(opened.append)
    fix.click()
    tenants = {page.model.row_at(r).tenant_id for r in range(page.model.rowCount())}
    assert len(opened) == 1 and opened[0] in tenants


@pytest.mark.parametrize("cloud", ["global", "usgov"])
def test_a_check_without_a_client_id_opens_settings_at_that_field(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, cloud: str
) -> None:
    from desktop.core import settings_edit as edit
    from desktop.core.settings_hint import SettingTarget

    # The field of the tenant's own cloud: a US Government tenant needs its usgov client ID.
    _, page, wiring, _ = _build(qtbot, data_home, runner, client_id="", cloud=cloud)
    opened: list[SettingTarget] = []
    wiring.settings_requested.connect(opened.append)
    r = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).mode == "modern")
    page.table.selectRow(r)
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.selected_button.click()
    summary = wiring.bar.summary.text()
    assert "no client ID is set for the app type" in summary
    assert "Set it in Settings" in summary
    fix = wiring.bar.fix_button
    assert fix.isVisible() and fix.text() == "Open Settings…"
    fix.click()
    app_type = page.model.row_at(page.model.row_of_profile(page.selected_ids()[0])).app_type_id
    assert opened == [SettingTarget(edit.CLIENT_ID, cloud, app_type)]


def test_check_selected_needs_a_selected_row_that_is_shown(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    _, page, wiring, _ = _build(qtbot, data_home, runner)
    action = wiring.bar.check_selected_action
    assert not action.isEnabled() and not wiring.bar.selected_button.isEnabled()
    assert "Select the app profiles to check" in action.toolTip()
    page.table.selectRow(0)
    assert action.isEnabled() and wiring.bar.selected_button.isEnabled()
    # A filter that hides the selected row leaves nothing selected to check.
    page.filters.search.setText("no profile is called this")
    assert page.model.rowCount() == 0
    assert not action.isEnabled() and not wiring.bar.selected_button.isEnabled()


def test_the_list_is_not_read_again_when_a_check_ends_and_the_sort_catches_up(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desktop.core.inventory.listing import STATUS_ORDER

    from desktop.ui.profiles.model import STATUS_COLUMN

    _, page, wiring, _ = _build(qtbot, data_home, runner)
    page.model.sort(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    reads: list[object] = []
    page.controller.first_rows.connect(reads.append)
    page.controller.rows_loaded.connect(reads.append)
    with qtbot.waitSignal(wiring.controller.finished, timeout=20_000):
        wiring.bar.all_button.click()
    qtbot.wait(200)  # a reload would have answered by now
    assert reads == []  # every result reached its row as it streamed in
    rank = {s.value: n for n, s in enumerate(STATUS_ORDER)}
    shown = [rank[page.model.row_at(r).status] for r in range(page.model.rowCount())]
    assert len(set(shown)) > 1 and shown == sorted(shown)  # sorted by the statuses the run gave
    assert page.counts.text() == page.model.counts_line()
