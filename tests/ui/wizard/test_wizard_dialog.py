"""The wizard window over stand-in services: pages, Next, rows, Save and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.core.catalog.model import ServiceFamily
from desktop.core.wizard import ConsentState, Step

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
    next_button(wizard).click()
    assert wizard.step() is Step.SETUP
    assert wizard.setup_page.aos_note.isVisible()
