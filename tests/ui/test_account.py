"""The Account menu and the status-bar sign-in, over a stand-in for the core session (the real
one runs end to end in tests/e2e/test_signin_real_app.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from desktop.controllers.session import SessionController, SignInState
from desktop.controllers.tasks import TaskRunner
from desktop.core.errors import UserError
from tests.helpers.dialogs import FakeDialogs

from desktop.ui.account import AccountUi
from desktop.ui.main_window import MainWindow


@dataclass
class Account:
    username: str


@dataclass
class FakeSession:
    """Answers like TechnicianSession: accounts, a sign-in, a sign-out."""

    usernames: list[str] = field(default_factory=list)
    sign_in_error: UserError | None = None
    lookups: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def accounts(self, endpoints: object) -> list[Account]:
        self.lookups += 1
        self.release.wait(10)
        return [Account(u) for u in self.usernames]

    def sign_in(self, endpoints: object, **kwargs: object) -> object:
        if self.sign_in_error is not None:
            raise self.sign_in_error
        self.usernames.insert(0, "new@contoso.example")
        return type("SignedIn", (), {"username": "new@contoso.example"})()

    def sign_out(self) -> None:
        self.usernames.clear()


@pytest.fixture
def ui(qtbot) -> tuple[AccountUi, FakeSession, FakeDialogs]:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    session = FakeSession()
    controller = SessionController(runner, lambda: session, lambda: 5.0, window)  # type: ignore[arg-type,return-value]
    dialogs = FakeDialogs()
    account = AccountUi(window, lambda: controller, dialogs)  # type: ignore[arg-type]
    yield account, session, dialogs
    session.release.set()
    runner.wait_for_done(5_000)


def test_before_the_first_look_it_says_it_is_checking(ui) -> None:  # type: ignore[no-untyped-def]
    account, _session, _dialogs = ui
    assert account.status.label.text() == "Checking sign-in…"
    assert account.menu.title() == "&Account"
    assert account.status.button.accessibleName() == "Sign in"


def test_the_controller_is_made_on_first_need_not_at_build(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    session = FakeSession()
    session.release.set()
    made: list[SessionController] = []

    def make() -> SessionController:
        made.append(SessionController(runner, lambda: session, lambda: 5.0, window))  # type: ignore[arg-type,return-value]
        return made[-1]

    account = AccountUi(window, make, FakeDialogs())  # type: ignore[arg-type]
    assert made == []
    assert not account.sign_out_action.isEnabled()
    with qtbot.waitSignal(account.controller.state_changed, timeout=5_000):
        account.start()
    assert len(made) == 1
    assert account.status.label.text() == "Not signed in"
    account.start()
    assert len(made) == 1
    runner.wait_for_done(5_000)


def test_several_accounts_show_the_first_and_a_count(qtbot, ui) -> None:  # type: ignore[no-untyped-def]
    account, session, _dialogs = ui
    session.usernames[:] = ["a@contoso.example", "b@fabrikam.example"]
    session.release.set()
    with qtbot.waitSignal(account.controller.state_changed, timeout=5_000):
        account.start()
    assert account.status.label.text() == "Signed in as a@contoso.example (+1 more)"
    assert "b@fabrikam.example" in account.status.label.toolTip()
    assert account.status.button.text() == "Sign out"


def test_lookups_asked_for_while_one_runs_make_one_more(qtbot, ui) -> None:  # type: ignore[no-untyped-def]
    account, session, _dialogs = ui
    controller = account.controller
    controller.refresh()
    controller.refresh()
    controller.refresh()
    session.release.set()
    qtbot.waitUntil(lambda: session.lookups == 2 and controller._lookup is None, timeout=5_000)
    assert session.lookups == 2


def test_a_failed_sign_in_is_shown_in_words(qtbot, ui) -> None:  # type: ignore[no-untyped-def]
    account, session, dialogs = ui
    session.release.set()
    session.sign_in_error = UserError("Microsoft said no.", remedy="Try again later.")
    with qtbot.waitSignal(account.controller.failed, timeout=5_000):
        account.sign_in_action.trigger()
    assert dialogs.errors == ["Microsoft said no. Try again later."]
    qtbot.waitUntil(lambda: not account.controller.busy)
    assert account.sign_in_action.isEnabled()


def test_sign_in_then_out_updates_the_label(qtbot, ui) -> None:  # type: ignore[no-untyped-def]
    account, session, _dialogs = ui
    session.release.set()
    with qtbot.waitSignal(account.controller.signed_in, timeout=5_000):
        account.status.button.click()
    assert account.status.label.text() == "Signed in as new@contoso.example"
    qtbot.waitUntil(lambda: not account.controller.busy)
    assert account.sign_out_action.isEnabled()
    with qtbot.waitSignal(account.controller.signed_out, timeout=5_000):
        account.sign_out_action.trigger()
    assert account.status.label.text() == "Not signed in"
    assert session.usernames == []


def test_a_problem_reading_the_sign_in_goes_in_the_tooltip(qtbot, ui) -> None:  # type: ignore[no-untyped-def]
    account, _session, _dialogs = ui
    problem = UserError("No client ID is set.", remedy="Set it in Settings.")
    account.controller._set_state(SignInState(problem=problem))
    assert account.status.label.text() == "Not signed in"
    assert account.status.label.toolTip() == "No client ID is set. Set it in Settings."
