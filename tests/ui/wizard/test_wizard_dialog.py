"""The wizard window over stand-in services: pages, Next, rows, Save and Cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.core.catalog.model import ConsentMethod, ServiceFamily
from desktop.core.wizard import ConsentState, Step
from tests.helpers import wizard_fakes

from desktop.ui.wizard import customer_page
from desktop.ui.wizard.dialog import CancelChoice, CreateProfileDialog


def next_button(dialog: CreateProfileDialog):  # type: ignore[no-untyped-def]
    return dialog.button(QWizard.WizardButton.NextButton)


def pick_contoso(qtbot, dialog: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    page = dialog.customer_page
    assert not next_button(dialog).isEnabled()
    page.customer_box.setCurrentIndex(page.customer_box.findText("Contoso"))
    page.tenant_box.setCurrentIndex(1)
    assert next_button(dialog).isEnabled()
    qtbot.mouseClick(next_button(dialog), Qt.MouseButton.LeftButton)


def test_premium_modern_path(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    checked: list[list[int]] = []
    fakes.check_new = lambda ids, token, progress: checked.append(ids)
    pick_contoso(qtbot, wizard)
    assert wizard.step() is Step.SERVICES
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["other-premium-services"].setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    assert not wizard.services_page.boxes["insights"].isEnabled()  # one family per run
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.step() is Step.CONSENT  # no setup choice for these services
    rows = wizard.consent_page.rows
    assert list(rows) == ["apelements-security-and-analysis", "apelements-automation"]
    assert not next_button(wizard).isEnabled()
    for row in rows.values():
        qtbot.mouseClick(row.authenticate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.machine.can_advance(Step.CONSENT))
    assert "✓" in rows["apelements-automation"].result.text()
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.step() is Step.ROLES
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.step() is Step.SUMMARY
    assert "APElements Automation" in wizard.summary_page.text.toPlainText()
    with qtbot.waitSignal(wizard.profiles_saved) as saved:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert len(saved.args[0]) == 2
    assert len(fakes.save.plans) == 1
    # Verified by the engine already (Valid): no second check. Unverified ones are checked.
    assert checked == []


def test_cancel_after_consent_offers_save(
    qtbot, wizard: CreateProfileDialog, fakes, prompt
) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    wizard.services_page.boxes["other-premium-services"].setChecked(True)
    next_button(wizard).click()
    wizard.consent_page.rows["apelements-automation"].authenticate.click()
    qtbot.waitUntil(
        lambda: wizard.machine.row("apelements-automation").state is ConsentState.GRANTED
    )
    wizard.reject()  # Keep working
    assert wizard.isVisible() and "APElements Automation" in prompt.warnings[0]
    prompt.answer = CancelChoice.SAVE
    with qtbot.waitSignal(wizard.profiles_saved) as saved:
        wizard.reject()
    assert [p.app_type_id for p in saved.args[0]] == ["apelements-automation"]


def test_aos_family_lists_added_services(qtbot, wizard: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, wizard)
    wizard.services_page.aos.setChecked(True)
    assert wizard.machine.state.family is ServiceFamily.AOS
    assert set(wizard.services_page.boxes) >= {"cloud-backup-m365", "insights"}
    assert "fly" not in wizard.services_page.boxes
    wizard.services_page.add_box.setCurrentIndex(wizard.services_page.add_box.findData("fly"))
    wizard.services_page.add_button.click()
    assert wizard.services_page.boxes["fly"].isChecked()
    assert wizard.services_page.aos_modern_note.isVisible()  # modern mode is used, said here
    next_button(wizard).click()
    assert wizard.step() is Step.CONSENT  # the Setup method step has nothing to choose


def to_consent(qtbot, dialog: CreateProfileDialog, *services: str) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, dialog)
    dialog.services_page.premium.setChecked(True)
    for service in services:
        dialog.services_page.boxes[service].setChecked(True)
    next_button(dialog).click()


def test_declined_then_retry(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.wizard.ports import ConsentOutcome

    fakes.engine.script["apelements-automation"] = [
        ConsentOutcome(False, True, "The administrator declined.", "AADSTS65004")
    ]
    to_consent(qtbot, wizard, "nitro")
    row = wizard.consent_page.rows["apelements-automation"]
    row.authenticate.click()
    qtbot.waitUntil(lambda: "declined" in row.result.text())
    assert "AADSTS65004" not in row.result.text()  # words first; the code one click away
    assert not row.detail.isVisible()
    row.show_detail.click()
    assert row.detail.isVisible() and row.detail.text() == "AADSTS65004"
    assert row.authenticate.text() == "&Retry"
    assert not next_button(wizard).isEnabled()
    row.authenticate.click()
    qtbot.waitUntil(lambda: "✓" in row.result.text())
    assert next_button(wizard).isEnabled()


def test_defer_skip_and_link(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    to_consent(qtbot, wizard, "nitro", "other-premium-services")
    rows = wizard.consent_page.rows
    row = rows["apelements-automation"]
    QGuiApplication.clipboard().clear()  # an earlier test's link must not satisfy the wait
    row.copy_link.click()
    qtbot.waitUntil(
        lambda: (
            "adminconsent?client_id=" in QGuiApplication.clipboard().text()
            and bool(row.link.text())
        )
    )
    assert row.link.isVisible() and row.link.text() == QGuiApplication.clipboard().text()
    # Said before the admin finds out: their browser ends on a page that cannot load.
    assert "This site can't be reached" in row.result.text()
    assert "Check again" in row.result.text()
    assert wizard.machine.row("apelements-automation").state is ConsentState.WAITING
    rows["apelements-automation"].check.click()  # the admin consented meanwhile
    qtbot.waitUntil(lambda: "✓" in rows["apelements-automation"].result.text())
    rows["apelements-security-and-analysis"].defer.click()
    assert next_button(wizard).isEnabled()
    rows["apelements-security-and-analysis"].defer.click()  # Undo
    assert not next_button(wizard).isEnabled()
    rows["apelements-security-and-analysis"].skip.click()
    assert next_button(wizard).isEnabled()


def test_check_again_keeps_checking_until_the_consent_appears(
    qtbot, wizard: CreateProfileDialog, fakes
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.wizard.ports import ConsentOutcome

    not_yet = ConsentOutcome(False, message="Not consented yet: no app.", pending=True)
    fakes.engine.check_script["apelements-automation"] = [not_yet, not_yet]
    wizard.controller.check_interval = 0.01
    to_consent(qtbot, wizard, "nitro")
    row = wizard.consent_page.rows["apelements-automation"]
    row.copy_link.click()
    qtbot.waitUntil(lambda: not row.busy.busy)
    row.check.click()  # one click: it checks until the consent is there
    qtbot.waitUntil(lambda: "✓" in row.result.text())
    assert fakes.engine.checks == 3
    assert not row.link.isVisible()


def test_cancel_check_again_keeps_waiting_for_the_admin(
    qtbot, wizard: CreateProfileDialog, fakes
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.wizard.ports import ConsentOutcome

    not_yet = ConsentOutcome(False, message="Not consented yet: no app.", pending=True)
    fakes.engine.check_script["apelements-automation"] = [not_yet] * 1000
    wizard.controller.check_interval = 30.0
    to_consent(qtbot, wizard, "nitro")
    row = wizard.consent_page.rows["apelements-automation"]
    row.copy_link.click()
    qtbot.waitUntil(lambda: not row.busy.busy)
    row.check.click()
    qtbot.waitUntil(lambda: "Checking again in" in row.busy.text.text())
    assert row.busy.cancel.isVisible()
    row.busy.cancel.click()
    qtbot.waitUntil(lambda: not row.busy.busy)
    assert wizard.machine.row("apelements-automation").state is ConsentState.WAITING
    assert "Check again" in row.result.text() and row.check.isEnabled()
    assert fakes.engine.checks == 1


def test_cancel_a_running_consent(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    import threading

    fakes.engine.hold = threading.Event()
    to_consent(qtbot, wizard, "nitro")
    row = wizard.consent_page.rows["apelements-automation"]
    row.authenticate.click()
    qtbot.waitUntil(lambda: row.busy.isVisible())
    assert not row.authenticate.isEnabled() and not next_button(wizard).isEnabled()
    row.busy.cancel.click()
    qtbot.waitUntil(lambda: not row.busy.busy)
    assert wizard.machine.row("apelements-automation").state is ConsentState.PENDING
    assert row.authenticate.isEnabled()


def test_custom_mode_setup(qtbot, wizard: CreateProfileDialog, pfx_corpus) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.catalog.model import SetupMode

    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["baseline-management"].setChecked(True)
    next_button(wizard).click()
    page = wizard.setup_page
    assert page.radios[("baseline-management", SetupMode.MODERN)].isChecked()  # the default
    assert not page.custom_box.isVisible()
    page.radios[("baseline-management", SetupMode.CUSTOM)].setChecked(True)
    assert page.custom_box.isVisible() and not next_button(wizard).isEnabled()
    assert page.redirect.text() == "http://localhost/consent"
    page.profile_name.setText("Contoso custom")
    page.app_id.setText("not a guid")
    assert "must be a GUID" in page.missing.text()
    page.app_id.setText("0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d")
    panel = wizard.certificate
    wrong = pfx_corpus["wrong_password"]
    panel.password.setText(wrong.password)
    panel.open_path(str(wrong.path))
    qtbot.waitUntil(lambda: panel.error.isVisibleTo(panel))
    assert not wizard.machine.state.custom.certificate_ready
    good = pfx_corpus["modern_aes"]
    panel.password.setText(good.password)
    with qtbot.waitSignal(panel.certificate_changed):
        panel.open_path(str(good.path))
    assert wizard.machine.state.custom.certificate_ready
    assert (
        good.sha1.upper().replace(":", "")
        in wizard.machine.state.custom.certificate_summary.upper()
    )
    page.roles_confirmed.setChecked(True)
    assert next_button(wizard).isEnabled()
    assert wizard.field("custom_profile_name") == "Contoso custom"
    next_button(wizard).click()
    row = wizard.consent_page.rows["apelements-baseline-management"]
    row.authenticate.click()
    qtbot.waitUntil(lambda: "✓" in row.result.text())
    request = wizard.controller.services.engine.requests[-1]
    assert request.client_id == "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"
    assert request.certificate is wizard.controller.certificate is not None


def test_assign_now_and_manual_steps(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, wizard)
    wizard.services_page.aos.setChecked(True)
    wizard.services_page.boxes["cloud-backup-m365"].setChecked(True)
    next_button(wizard).click()
    next_button(wizard).click()
    rows = wizard.consent_page.rows
    for app_id, row in rows.items():
        if app_id == "cloud-backup-m365-all-permissions":
            row.authenticate.click()
        elif row.functions:
            next(iter(row.functions.values())).setChecked(True)
            row.method.setCurrentIndex(row.method.findText("User consent"))
            row.authenticate.click()
        else:
            row.skip.click()
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    next_button(wizard).click()
    assert wizard.step() is Step.ROLES
    (role_row,) = wizard.roles_page.role_rows
    assert role_row.assign.isEnabled()
    role_row.show_steps.click()
    assert "Roles & admins" in role_row.steps.text() and role_row.steps.isVisible()
    role_row.assign.click()
    qtbot.waitUntil(lambda: "verified" in role_row.state.text())
    assert fakes.roles.assigned[0][1] == "Exchange Administrator"
    delegated = wizard.machine.row("cloud-backup-m365-delegated-app")
    assert delegated.method is ConsentMethod.USER
    assert delegated.functions == ("teams-channel-posts",)
    assert not role_row.assign.isVisible() or not role_row.assign.isEnabled()


def test_permissions_one_click_away(qtbot, wizard: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.wizard.permissions_dialog import PermissionsDialog

    to_consent(qtbot, wizard, "nitro")
    wizard.consent_page.rows["apelements-automation"].permissions.click()
    dialogs = wizard.findChildren(PermissionsDialog)
    assert len(dialogs) == 1
    table = dialogs[0].table
    names = {table.item(r, 2).text() for r in range(table.rowCount())}
    assert table.rowCount() == 16  # seed 002's Nitro table
    assert names >= {"Group.Create", "Domain.ReadWrite.All"}
    marks = {table.item(r, 2).text(): table.item(r, 0) for r in range(table.rowCount())}
    # The viewer's high-privilege rule, with its two levels told apart in words and weight.
    assert marks["Directory.ReadWrite.All"].text() == "⚠ Critical"
    assert marks["Directory.ReadWrite.All"].font().bold()
    high = [m for m in marks.values() if m.text() == "⚠ High"]
    assert high and not any(m.font().bold() for m in high)
    assert marks["Group.Create"].text() in ("", "⚠ High")


def test_keyboard_only(qtbot, wizard: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    """Arrow keys choose, Return moves on (the offscreen platform delivers no Alt mnemonics,
    so those are checked by their texts)."""
    from PySide6.QtCore import Qt as QtNs

    page = wizard.customer_page
    qtbot.keyClick(page.customer_box, QtNs.Key.Key_Down)
    assert wizard.machine.state.customer is not None
    assert wizard.machine.state.tenant is not None  # its one tenant is chosen already
    qtbot.keyClick(page.tenant_box, QtNs.Key.Key_Return)
    assert wizard.step() is Step.SERVICES
    services = wizard.services_page
    qtbot.keyClick(services.premium, QtNs.Key.Key_Space)
    assert wizard.machine.state.family is ServiceFamily.PREMIUM
    qtbot.keyClick(services.boxes["nitro"], QtNs.Key.Key_Space)
    qtbot.keyClick(services.boxes["nitro"], QtNs.Key.Key_Return)
    assert wizard.step() is Step.CONSENT
    row = wizard.consent_page.rows["apelements-automation"]
    qtbot.keyClick(row.authenticate, QtNs.Key.Key_Space)
    qtbot.waitUntil(lambda: "✓" in row.result.text())
    for text in ("&Next >", "< &Back", "&Save"):
        assert text in {
            wizard.buttonText(b)
            for b in (
                wizard.WizardButton.NextButton,
                wizard.WizardButton.BackButton,
                wizard.WizardButton.FinishButton,
            )
        }
    assert row.authenticate.text().startswith("&") or "&" in row.authenticate.text()


def test_new_customer_and_tenant_inline(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.domain import Cloud

    page = wizard.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.count() - 1)  # New customer…
    assert page.customer_name.isVisible() and not next_button(wizard).isEnabled()
    page.customer_name.setText("Northwind  Traders")
    assert wizard.machine.state.customer is not None
    assert wizard.machine.state.customer.name == "Northwind Traders"
    assert page.tenant_box.currentData() is not None and page.new_tenant.isVisible()
    page.domain.setText("northwind.onmicrosoft.com")
    page.cloud.setCurrentIndex(page.cloud.findText("US Government GCC High"))
    page.lookup.click()
    qtbot.waitUntil(lambda: page.tenant_id.text() != "")
    state = wizard.machine.state
    assert state.tenant is not None and state.new_customer and state.new_tenant
    assert state.tenant.cloud is Cloud.USGOV
    assert state.tenant.primary_domain == "northwind.onmicrosoft.com"
    assert next_button(wizard).isEnabled()
    page.customer_name.setText("Northwind")  # renaming keeps the tenant
    assert wizard.machine.state.tenant is not None
    page.tenant_id.setText("not a guid")
    assert not next_button(wizard).isEnabled()


def test_look_up_fills_the_name_unless_typed(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    page = wizard.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.count() - 1)  # New customer…
    page.customer_name.setText("Northwind")
    page.domain.setText("northwind.onmicrosoft.com")
    fakes.tenant_name = lambda domain, cloud: "Northwind Traders" if "northwind" in domain else None
    page.lookup.click()
    qtbot.waitUntil(lambda: page.tenant_id.text() != "")
    assert page.display_name.text() == "Northwind Traders"
    assert not page.name_note.isVisible()
    state = wizard.machine.state
    assert state.tenant is not None and state.tenant.display_name == "Northwind Traders"

    page.display_name.setText("Northwind (typed)")
    page.tenant_id.clear()
    page.lookup.click()
    qtbot.waitUntil(lambda: page.tenant_id.text() != "")
    assert page.display_name.text() == "Northwind (typed)"  # what the user typed stays


def test_look_up_unsigned_says_type_the_name(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    page = wizard.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.count() - 1)  # New customer…
    page.customer_name.setText("Northwind")
    page.domain.setText("northwind.onmicrosoft.com")
    fakes.tenant_name = lambda domain, cloud: None
    page.lookup.click()
    qtbot.waitUntil(lambda: page.tenant_id.text() != "")
    assert page.display_name.text() == ""
    assert page.name_note.isVisible() and "Sign in to fill the name" in page.name_note.text()
    assert next_button(wizard).isEnabled()  # the look-up itself succeeded
    qtbot.keyClicks(page.display_name, "Northwind Traders")
    assert not page.name_note.isVisible()  # typed: nothing left to say


def mnemonics(dialog: CreateProfileDialog) -> list[str]:
    """The Alt letters of the visible buttons and labels of the current page and the wizard."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    page = dialog.currentPage()
    widgets = [
        *page.findChildren(QAbstractButton),
        *page.findChildren(QLabel),
        *(
            dialog.button(b)
            for b in (
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            )
        ),
    ]
    # A label repeated in repeated rows (Assign now of each role) shares its letter: Alt+letter
    # then moves between those buttons, as Qt does for an ambiguous mnemonic.
    texts = {
        text
        for widget in widgets
        if widget.isVisible() and "&" in (text := widget.text().replace("&&", ""))
    }
    return [text[text.index("&") + 1].lower() for text in texts]


def test_mnemonics_do_not_clash(qtbot, wizard: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.catalog.model import SetupMode

    page = wizard.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.count() - 1)
    page.customer_name.setText("Northwind")
    page.tenant_id.setText("11111111-2222-4333-8444-555555555555")
    letters = mnemonics(wizard)
    assert len(letters) == len(set(letters)), sorted(letters)
    next_button(wizard).click()
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["baseline-management"].setChecked(True)
    letters = mnemonics(wizard)
    assert len(letters) == len(set(letters)), sorted(letters)
    next_button(wizard).click()
    wizard.setup_page.radios[("baseline-management", SetupMode.CUSTOM)].setChecked(True)
    letters = mnemonics(wizard)
    assert len(letters) == len(set(letters)), sorted(letters)
    assert len(wizard.setup_page.role_rows) == 3  # Assign now for each role, before consent


def test_lookup_failure_and_cancelled_loading(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.errors import UserError

    def fail(domain: str, cloud: object) -> str:
        raise UserError(f"No Microsoft tenant uses the domain {domain}.", remedy="Check it.")

    fakes.lookup_tenant = fail
    page = wizard.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.findText("Contoso"))
    page.tenant_box.setCurrentIndex(page.tenant_box.count() - 1)
    page.domain.setText("nowhere.example")
    page.lookup.click()
    qtbot.waitUntil(lambda: "No Microsoft tenant" in page.error.text())
    assert page.lookup.isEnabled() and page.tenant_id.text() == ""

    gate = threading.Event()

    def slow() -> object:
        gate.wait(5)
        return wizard_fakes.directory()

    fakes.load_directory = slow
    page.load()
    qtbot.waitUntil(lambda: page.busy.busy)
    page.busy.cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: page.reload.isVisible())
    assert "cancelled" in page.error.text()
    fakes.load_directory = wizard_fakes.directory
    page.reload.click()
    qtbot.waitUntil(lambda: not page.reload.isVisible() and not page.busy.busy)


def test_save_cannot_be_cancelled_halfway(qtbot, wizard: CreateProfileDialog) -> None:  # type: ignore[no-untyped-def]
    to_consent(qtbot, wizard, "nitro")
    wizard.consent_page.rows["apelements-automation"].authenticate.click()
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    next_button(wizard).click()
    with qtbot.waitSignal(wizard.profiles_saved):
        wizard.button(QWizard.WizardButton.FinishButton).click()
        assert not wizard.summary_page.busy.cancel.isVisibleTo(wizard.summary_page.busy)
        wizard.reject()  # ignored while saving
    assert wizard.machine.state.saved


def test_unverified_consents_are_checked_right_after_save(
    qtbot, wizard: CreateProfileDialog, fakes
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.domain import Status
    from desktop.core.wizard.ports import ConsentOutcome

    checked: list[list[int]] = []
    fakes.check_new = lambda ids, token, progress: checked.append(ids)
    fakes.engine.script["apelements-automation"] = [
        ConsentOutcome(True, message="Administrator consent granted.", status=Status.UNKNOWN)
    ]
    to_consent(qtbot, wizard, "nitro")
    wizard.consent_page.rows["apelements-automation"].authenticate.click()
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    next_button(wizard).click()
    assert "checked right after Save" in wizard.summary_page.text.toPlainText()
    with qtbot.waitSignal(wizard.profiles_saved) as saved:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert checked == [[p.id for p in saved.args[0]]]


def test_the_first_check_after_save_shows_progress_and_can_be_cancelled(
    qtbot, wizard: CreateProfileDialog, fakes
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.domain import Status
    from desktop.core.errors import CancelledError
    from desktop.core.wizard.ports import ConsentOutcome

    stopped: list[bool] = []

    def slow_check(ids: list[int], token, progress) -> None:  # type: ignore[no-untyped-def]
        progress(0, len(ids), "Checking 1 of 1…")
        while not token.wait(0.01):
            pass  # a tenant that answers slowly
        stopped.append(True)
        raise CancelledError()

    fakes.check_new = slow_check
    fakes.engine.script["apelements-automation"] = [
        ConsentOutcome(True, message="Administrator consent granted.", status=Status.UNKNOWN)
    ]
    to_consent(qtbot, wizard, "nitro")
    wizard.consent_page.rows["apelements-automation"].authenticate.click()
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    next_button(wizard).click()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    busy = wizard.summary_page.busy
    qtbot.waitUntil(lambda: busy.cancellable and "1 of 1" in busy.text.text())
    assert wizard.machine.state.saved  # written before the check started
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    with qtbot.waitSignal(wizard.profiles_saved) as saved:
        wizard.reject()  # Cancel: stop checking; the profiles stay saved, Unknown
    assert stopped == [True]
    assert [p.status for p in saved.args[0]] == [Status.UNKNOWN]


def test_waiting_consent_explains_a_pasted_code(qtbot, wizard: CreateProfileDialog, fakes) -> None:  # type: ignore[no-untyped-def]
    import threading

    fakes.engine.hold = threading.Event()
    to_consent(qtbot, wizard, "nitro")
    row = wizard.consent_page.rows["apelements-automation"]
    row.authenticate.click()
    qtbot.waitUntil(lambda: row.error_help.isVisible())
    assert "paste the AADSTS code" in row.error_help.hint.text()
    assert row.busy.cancel.isVisible()
    row.error_help.pasted.setText("53003")
    row.error_help.explain_button.click()
    qtbot.waitUntil(lambda: not row.busy.busy)
    assert "Conditional Access" in row.error_help.explanation.text()
    assert wizard.machine.row("apelements-automation").state is ConsentState.PENDING


def test_save_anyway_saves_closes_and_says_what(
    qtbot, wizard: CreateProfileDialog, fakes, prompt, notes
) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    wizard.services_page.boxes["other-premium-services"].setChecked(True)
    next_button(wizard).click()
    wizard.consent_page.rows["apelements-automation"].authenticate.click()
    qtbot.waitUntil(
        lambda: wizard.machine.row("apelements-automation").state is ConsentState.GRANTED
    )
    prompt.answer = CancelChoice.SAVE
    with qtbot.waitSignal(wizard.profiles_saved):
        wizard.reject()
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert len(notes) == 1 and "Nitro – " in notes[0]
    assert "APElements Security and Analysis" in notes[0]  # and what was not saved


def test_one_tenant_is_chosen_and_the_header_counts_the_steps(
    qtbot, wizard: CreateProfileDialog
) -> None:  # type: ignore[no-untyped-def]
    page = wizard.customer_page
    assert page.title().startswith("Step 1 of ") and page.title().endswith("Customer and tenant")
    page.customer_box.setCurrentIndex(page.customer_box.findText("Contoso"))
    assert wizard.machine.state.tenant is not None  # Contoso's only tenant
    assert next_button(wizard).isEnabled()
    next_button(wizard).click()
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    total = len(wizard.machine.shown_steps())
    assert wizard.services_page.title() == f"Step 2 of {total} · Services"


def test_save_anyway_keeps_the_azure_roles_gate(
    qtbot, wizard: CreateProfileDialog, fakes, prompt, notes
) -> None:  # type: ignore[no-untyped-def]
    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["azure-security-management"].setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    next_button(wizard).click()
    app = "apelements-azure-security-management"
    wizard.consent_page.rows[app].authenticate.click()
    qtbot.waitUntil(lambda: wizard.machine.row(app).state is ConsentState.GRANTED)
    prompt.answer = CancelChoice.SAVE
    wizard.reject()
    assert wizard.isVisible() and fakes.save.plans == []
    assert notes and notes[0].startswith("Not saved yet.") and "Azure" in notes[0]
    wizard.machine.confirm_azure_roles(True)
    with qtbot.waitSignal(wizard.profiles_saved):
        wizard.reject()
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_escape_asks_before_discarding_a_typed_customer_and_tenant(
    qtbot, wizard: CreateProfileDialog, prompt
) -> None:  # type: ignore[no-untyped-def]
    page = wizard.customer_page
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not wizard.isVisible() and prompt.questions == []
    wizard.show()
    page.customer_box.setCurrentIndex(page.customer_box.findData(customer_page.NEW))
    page.customer_name.setText("Northwind")
    page.tenant_box.setCurrentIndex(page.tenant_box.findData(customer_page.NEW))
    page.domain.setText("northwind.onmicrosoft.com")
    page.tenant_id.setText("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
    prompt.discard = False
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible()  # kept
    assert "Northwind" in prompt.questions[0] and "northwind.onmicrosoft.com" in prompt.questions[0]
    prompt.discard = True
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_a_duplicate_is_named_and_reauthorize_is_offered_instead(
    qtbot, wizard: CreateProfileDialog
) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.catalog.model import SetupMode
    from desktop.core.wizard.duplicates import ExistingProfile

    wizard.controller.existing = (
        ExistingProfile(
            42, "Nitro – contoso.onmicrosoft.com", wizard_fakes.TENANT_ID,
            "apelements-automation", SetupMode.MODERN, "Expired",
        ),
    )  # fmt: skip
    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    next_button(wizard).click()
    page = wizard.consent_page
    assert page.duplicates_box.isVisible()
    assert [d.existing.id for d in page.duplicates] == [42]
    with qtbot.waitSignal(wizard.reauthorize_requested) as asked:
        page.reauthorize_buttons[42].click()
    assert asked.args == [42]
    assert not wizard.isVisible()  # the Re-authorize dialog takes over


def test_custom_mode_steps_name_the_customers_app_and_the_form_aligns(
    qtbot, wizard: CreateProfileDialog
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QFormLayout, QStyle

    from desktop.core.catalog.model import SetupMode

    pick_contoso(qtbot, wizard)
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["baseline-management"].setChecked(True)
    next_button(wizard).click()
    page = wizard.setup_page
    page.radios[("baseline-management", SetupMode.CUSTOM)].setChecked(True)
    page.app_id.setText("0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d")
    assert page.role_rows
    row = page.role_rows[0]
    row.show_steps.setChecked(True)
    steps = row.steps.text()
    assert "the customer's own app, application ID 0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d" in steps
    assert "APElements Baseline Management" not in steps  # not the publisher's app
    form = page.custom_form
    style = QApplication.style()
    wanted = style.styleHint(QStyle.StyleHint.SH_FormLayoutLabelAlignment)
    assert form.labelAlignment().value & wanted == wanted  # as the platform aligns them
    # The certificate's rows line up with the custom app's: one column of labels.
    edges = {
        f.itemAt(r, QFormLayout.ItemRole.FieldRole).geometry().left()
        + f.parentWidget().mapTo(page, f.parentWidget().rect().topLeft()).x()
        for f in (form, wizard.certificate.form)
        for r in range(f.rowCount())
        if f.itemAt(r, QFormLayout.ItemRole.LabelRole) is not None
        and f.itemAt(r, QFormLayout.ItemRole.FieldRole) is not None
    }
    assert len(edges) == 1, edges
