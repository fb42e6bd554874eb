"""The create-app-profile wizard window: one page per step of the core step machine."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from desktop.controllers.certificates import CertificateController
from desktop.controllers.tasks import Task
from desktop.controllers.wizard import WizardController
from desktop.core.domain import AppProfile
from desktop.core.errors import UserError
from desktop.core.wizard import CreateProfileWizard, Step
from desktop.core.wizard.state import STEP_ORDER

from desktop.ui.certificate_panel import CertificatePanel
from desktop.ui.file_picker import FilePicker
from desktop.ui.wizard.base import StepPage
from desktop.ui.wizard.consent_page import ConsentPage
from desktop.ui.wizard.customer_page import CustomerPage
from desktop.ui.wizard.permissions_dialog import PermissionsDialog
from desktop.ui.wizard.roles_page import RolesPage
from desktop.ui.wizard.services_page import ServicesPage
from desktop.ui.wizard.setup_page import SetupPage
from desktop.ui.wizard.summary_page import SummaryPage

MINIMUM_SIZE = QSize(640, 520)


class CancelChoice(StrEnum):
    SAVE = "save"  # save the consented apps' profiles anyway
    DISCARD = "discard"
    STAY = "stay"  # back to the wizard


#: Asks what to do when the technician cancels after a consent; given the warning text.
CancelPrompt = Callable[[QWidget, str], CancelChoice]

#: Tells the technician something once (what "Save anyway" saved, or why it cannot yet).
Notify = Callable[[QWidget, str], None]


def notify_in_box(parent: QWidget, text: str) -> None:
    QMessageBox.information(parent, "Create app profile", text)


#: Asks before Escape or Cancel discards what was typed; True to discard.
DiscardPrompt = Callable[[QWidget, str], bool]


def ask_before_discarding(parent: QWidget, question: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Discard what you typed?")
    box.setText(question)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)  # a second Escape or Enter keeps the work
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is discard


def ask_on_cancel(parent: QWidget, warning: str) -> CancelChoice:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Consent already granted")
    box.setText(warning)
    save = box.addButton("&Save anyway", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return CancelChoice.SAVE
    return CancelChoice.DISCARD if clicked is discard else CancelChoice.STAY


def show_permissions_dialog(controller: WizardController) -> Callable[[str, QWidget], None]:
    def show(app_id: str, parent: QWidget) -> None:
        dialog = PermissionsDialog(controller.machine.catalog, app_id, parent)
        dialog.setModal(False)
        dialog.show()

    return show


class CreateProfileDialog(QWizard):
    """A thin QWizard: the machine decides the pages, Next, and the order.

    Signals:
        profiles_saved(object): the saved AppProfiles, after Save (the list refreshes).
        reauthorize_requested(int): the technician chose to re-authorize this existing profile
            instead of creating a duplicate; the wizard has closed.
    """

    profiles_saved = Signal(object)
    reauthorize_requested = Signal(int)

    def __init__(
        self,
        controller: WizardController,
        parent: QWidget | None = None,
        *,
        cancel_prompt: CancelPrompt = ask_on_cancel,
        notify: Notify = notify_in_box,
        ask_discard: DiscardPrompt = ask_before_discarding,
        show_permissions: Callable[[str, QWidget], None] | None = None,
        picker: FilePicker | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.machine = controller.machine
        self.cancel_prompt = cancel_prompt
        self.notify = notify
        self.ask_discard = ask_discard
        #: After "Save anyway": what was left out, said once the profiles are saved.
        self._saving_anyway = False
        self.setWindowTitle("Create app profile")
        self.setObjectName("CreateProfileWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Save")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Back")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(760, 620)
        self.certificates = CertificateController(controller.runner, self)
        self.certificate = CertificatePanel(self.certificates, picker)
        self.customer_page = CustomerPage(controller)
        self.services_page = ServicesPage(controller)
        self.setup_page = SetupPage(controller, self.certificate)
        self.consent_page = ConsentPage(
            controller, show_permissions or show_permissions_dialog(controller)
        )
        self.roles_page = RolesPage(controller)
        self.summary_page = SummaryPage(controller)
        self.pages: dict[Step, StepPage] = {
            Step.CUSTOMER: self.customer_page,
            Step.SERVICES: self.services_page,
            Step.SETUP: self.setup_page,
            Step.CONSENT: self.consent_page,
            Step.ROLES: self.roles_page,
            Step.SUMMARY: self.summary_page,
        }
        for step, page in self.pages.items():
            self.setPage(STEP_ORDER.index(step), page)
        self.setStartId(0)
        self.consent_page.reauthorize_requested.connect(self._reauthorize_instead)
        controller.saved.connect(self._saved)
        controller.checking.connect(self._checking)
        self._closing = False

    def start(self) -> None:
        """Load the customers (off the GUI thread) and show the wizard."""
        self.customer_page.load()
        self.show()

    def step(self) -> Step:
        return STEP_ORDER[self.currentId()]

    def nextId(self) -> int:
        current = self.currentId()
        if current < 0:
            return -1
        following = self.machine.next_step(STEP_ORDER[current])
        return -1 if following is None else STEP_ORDER.index(following)

    def validateCurrentPage(self) -> bool:
        if self._closing:
            return True  # saved: QWizard.accept() asks this page before it lets the wizard go
        if self.step() is not Step.SUMMARY:
            return self.machine.can_advance(self.step())
        if self.machine.state.saved:
            return True
        self._save(only_granted=False)
        return False

    def _save(self, *, only_granted: bool) -> None:
        try:
            task = self.controller.save(only_granted=only_granted)
        except UserError as exc:
            self.summary_page.result.setText(exc.one_line())
            return
        task.on_failure(lambda e: self.summary_page.result.setText(e.one_line()))
        self.summary_page.busy.follow(task, "Saving the app profiles…", cancellable=False)
        self.summary_page.completeChanged.emit()
        cancel = self.button(QWizard.WizardButton.CancelButton)
        cancel.setEnabled(False)  # the transaction is short; closing now would hide its result
        task.finished.connect(lambda: cancel.setEnabled(True))
        task.finished.connect(self.summary_page.completeChanged.emit)

    @Slot(object)
    def _checking(self, task: Task[Any]) -> None:
        """Saved; the first check of the new profiles runs, with progress and Cancel."""
        self.summary_page.result.setText("Saved. Checking the new app profiles…")
        self.summary_page.busy.follow(task, "Checking the new app profiles…")
        self.summary_page.completeChanged.emit()

    @Slot(object)
    def _saved(self, profiles: object) -> None:
        self.profiles_saved.emit(profiles)
        self.summary_page.result.setText("Saved.")
        self._closing = True
        self.accept()
        if self._saving_anyway and isinstance(profiles, list):
            self.notify(self.parentWidget() or self, saved_anyway_text(self.machine, profiles))

    @Slot(int)
    def _reauthorize_instead(self, profile_id: int) -> None:
        """Close (asking as Cancel does), then hand the existing profile to Re-authorize."""
        self.reject()
        if not self.isVisible():
            self.reauthorize_requested.emit(profile_id)

    def reject(self) -> None:
        busy = self.summary_page.busy
        if busy.busy:
            # Saving: Save's result closes the wizard. Checking the saved profiles: stop the
            # check (they stay Unknown); its end closes the wizard.
            if busy.cancellable:
                busy.cancel.click()
            return
        if self._closing:
            super().reject()
            return
        warning = self.machine.cancel_warning()
        if warning is None:
            question = self.machine.discard_question()
            if question is not None and not self.ask_discard(self, question):
                return  # Escape kept the typed customer or tenant
            self._cancel_work()
            super().reject()
            return
        choice = self.cancel_prompt(self, warning)
        if choice is CancelChoice.STAY:
            return
        self._cancel_work()
        if choice is CancelChoice.DISCARD:
            self.controller.discard_unsaved()
            super().reject()
            return
        blockers = self.machine.save_anyway_blockers()
        if blockers:  # the roles gate holds for Save anyway too
            self.notify(self, "Not saved yet. " + " ".join(blockers))
            return
        if self.currentId() != STEP_ORDER.index(Step.SUMMARY):
            self.summary_page.refresh()
        self._saving_anyway = True
        self._save(only_granted=True)

    def _cancel_work(self) -> None:
        self.controller.cancel_running()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.summary_page.busy.busy and not self._closing:
            event.ignore()  # Save or its first check is running: the end closes the wizard
            self.reject()
            return
        quiet = self.machine.cancel_warning() is None and self.machine.discard_question() is None
        if self._closing or quiet:
            self._cancel_work()
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()


def saved_anyway_text(machine: CreateProfileWizard, profiles: list[AppProfile]) -> str:
    """What "Save anyway" saved, by name, and which apps it left out."""
    names = "\n".join(f"• {p.name}" for p in profiles)
    text = f"Saved {len(profiles)} app profile(s) for the consents given:\n{names}"
    saved = {p.app_type_id for p in profiles}
    left = [r.app.label for r in machine.state.rows if r.app_id not in saved]
    if left:
        text += "\n\nNot saved (no consent given): " + ", ".join(left) + "."
    return text
