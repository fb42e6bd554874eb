"""The technician's own sign-in for the main window: who is signed in, sign in, sign out.

Every keyring, disk and network step runs on a pool thread through :class:`TaskRunner`; the
core session (:class:`~desktop.core.identity.signin.TechnicianSession`, the same one the CLI's
``signin`` and the wizard use) is built there too, by *session_factory*, so msal, keyring and
cryptography load on first use and not on the way to the window's first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.identity.signin import TechnicianSession

#: Builds the core session on a worker thread (reads Settings; raises UserError when no
#: sign-in client ID is configured).
SessionFactory = Callable[[], "TechnicianSession"]
#: The sign-in's browser timeout in seconds, read on a worker thread (Settings).
TimeoutOf = Callable[[], float]

T = TypeVar("T")


@dataclass(frozen=True)
class SignInState:
    """What the status bar shows: the signed-in accounts, or why nobody can be."""

    usernames: tuple[str, ...] = ()
    #: Why the sign-in cannot be read or used (no client ID, no keyring); None when it can.
    problem: UserError | None = field(default=None, compare=False)
    #: False until the first look at the token cache has finished.
    known: bool = True

    @property
    def signed_in(self) -> bool:
        return bool(self.usernames)


UNKNOWN = SignInState(known=False)


class SessionController(QObject):
    """Runs the technician's sign-in, sign-out and account look-ups, one at a time.

    Signals:
        state_changed(object): a new :class:`SignInState`.
        busy_changed(bool): whether a sign-in or sign-out is running.
        progressed(str): what the running sign-in waits for.
        failed(str, object): the action ("Sign in", "Sign out") and its :class:`UserError`.
        cancelled(): the technician cancelled the sign-in.
        signed_in(str): the account that just signed in.
        signed_out(): the technician's cached sign-in was removed.

    Attributes:
        state: the last :class:`SignInState` (``known`` is False before the first look-up).
    """

    state_changed = Signal(object)
    busy_changed = Signal(bool)
    progressed = Signal(str)
    failed = Signal(str, object)
    cancelled = Signal()
    signed_in = Signal(str)
    signed_out = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        session_factory: SessionFactory,
        timeout_of: TimeoutOf,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._factory = session_factory
        self._timeout_of = timeout_of
        self._action: Task[Any] | None = None
        self._lookup: Task[SignInState] | None = None
        self._lookup_again = False
        self.state = UNKNOWN

    @property
    def busy(self) -> bool:
        return self._action is not None

    # -- look-up -----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Read who is signed in from the token cache (again)."""
        if self._lookup is not None:
            self._lookup_again = True  # the cache changed while it was being read
            return
        factory = self._factory

        def work(token: CancelToken, progress: Progress) -> SignInState:
            return _read_state(factory)

        self._lookup = self._runner.submit("Reading the sign-in", work)
        self._lookup.on_success(self._on_state).on_failure(self._on_lookup_failed)
        self._lookup.finished.connect(self._on_lookup_finished)

    @Slot(object)
    def _on_state(self, state: SignInState) -> None:
        self._set_state(state)

    @Slot(object)
    def _on_lookup_failed(self, error: UserError) -> None:
        self._set_state(SignInState(problem=error))

    @Slot()
    def _on_lookup_finished(self) -> None:
        self._lookup = None
        if self._lookup_again:
            self._lookup_again = False
            self.refresh()

    def _set_state(self, state: SignInState) -> None:
        self.state = state
        self.state_changed.emit(state)

    # -- sign in and out ---------------------------------------------------------------------

    @Slot()
    def sign_in(self) -> bool:
        """Open the system browser to sign in; False when a sign-in or sign-out is running."""
        if self._action is not None:
            return False
        factory, timeout_of = self._factory, self._timeout_of

        def work(token: CancelToken, progress: Progress) -> str:
            from desktop.core.endpoints import endpoints_for

            session = factory()
            progress(0, 0, "Opening your browser to sign in…")
            signed = session.sign_in(
                endpoints_for(), timeout=timeout_of(), cancel=token, progress=progress
            )
            return signed.username

        task = self._start("Signing in", work)
        task.progressed.connect(self._on_progress)
        task.on_success(self._on_signed_in).on_failure(self._on_sign_in_failed)
        task.cancelled.connect(self.cancelled)
        return True

    @Slot()
    def sign_out(self) -> bool:
        """Forget the technician's cached sign-in; False when another action is running."""
        if self._action is not None:
            return False
        factory = self._factory

        def work(token: CancelToken, progress: Progress) -> None:
            factory().sign_out()

        task = self._start("Signing out", work)
        task.on_success(lambda _none: self._on_signed_out()).on_failure(self._on_sign_out_failed)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop waiting for the browser (its answer, if it comes later, is ignored)."""
        if self._action is not None:
            self._action.cancel()

    def _start(self, name: str, work: Callable[[CancelToken, Progress], T]) -> Task[T]:
        action = self._runner.submit(name, work)
        self._action = action
        action.finished.connect(self._on_action_finished)
        self.busy_changed.emit(True)
        return action

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(text)

    @Slot(object)
    def _on_signed_in(self, who: str) -> None:
        known = self.state.usernames
        self._set_state(SignInState((who, *(u for u in known if u != who))))
        self.signed_in.emit(who)

    @Slot(object)
    def _on_sign_in_failed(self, error: UserError) -> None:
        self.failed.emit("Sign in", error)

    @Slot()
    def _on_signed_out(self) -> None:
        self._set_state(SignInState())
        self.signed_out.emit()

    @Slot(object)
    def _on_sign_out_failed(self, error: UserError) -> None:
        self.failed.emit("Sign out", error)

    @Slot()
    def _on_action_finished(self) -> None:
        self._action = None
        self.busy_changed.emit(False)
        self.refresh()  # what the cache holds now is the truth


def _read_state(factory: SessionFactory) -> SignInState:
    """The accounts in the cache, or the reason they cannot be read (on a worker thread)."""
    from desktop.core.endpoints import endpoints_for

    try:
        session = factory()
        accounts = session.accounts(endpoints_for())
    except UserError as exc:
        return SignInState(problem=exc)
    return SignInState(tuple(a.username for a in accounts if a.username))
