"""Fixtures for the wizard's widget tests: the real machine and controller over stand-ins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.wizard import WizardController, WizardServices
from desktop.core.catalog.loader import load_shipped
from desktop.core.wizard import CreateProfileWizard
from tests.helpers import wizard_fakes

from desktop.ui.wizard.dialog import CancelChoice, CreateProfileDialog


class Prompt:
    """Answers the cancel question; records the warnings it was shown."""

    def __init__(self) -> None:
        self.answer = CancelChoice.STAY
        self.warnings: list[str] = []
        self.discard = True
        self.questions: list[str] = []

    def __call__(self, parent: object, warning: str) -> CancelChoice:
        self.warnings.append(warning)
        return self.answer

    def ask_discard(self, parent: object, question: str) -> bool:
        """The question before typed work is discarded; ``discard`` is the answer."""
        self.questions.append(question)
        return self.discard


@pytest.fixture
def prompt() -> Prompt:
    return Prompt()


class Notes(list[str]):
    """Records what the wizard would tell the technician in a message box."""

    def __call__(self, parent: object, text: str) -> None:
        self.append(text)


@pytest.fixture
def notes() -> Notes:
    return Notes()


@pytest.fixture
def fakes() -> WizardServices:
    return wizard_fakes.services()


@pytest.fixture
def wizard(
    qtbot, fakes: WizardServices, prompt: Prompt, notes: Notes
) -> Iterator[CreateProfileDialog]:  # type: ignore[no-untyped-def]
    catalog = load_shipped()
    ids = {a.id: f"{i:08x}-0000-4000-8000-00000000abcd" for i, a in enumerate(catalog.app_types)}
    runner = TaskRunner()
    controller = WizardController(CreateProfileWizard(catalog, client_ids=ids), fakes, runner)
    dialog = CreateProfileDialog(
        controller, cancel_prompt=prompt, notify=notes, ask_discard=prompt.ask_discard
    )
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.customer_page.loaded)
    yield dialog
    runner.cancel_all()
    runner.wait_for_done(5000)
