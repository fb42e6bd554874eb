"""The technician's sign-in from the main window, as the installed app wires it: the window built
by ``build_context`` and ``build_window`` over a data folder pointing at the sandbox, the system
browser through ``BROWSER`` (the browser stand-in program), MSAL unpatched over TLS, and the
real vault and encrypted token cache over an in-memory keyring."""

from __future__ import annotations

import shlex
import sys
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.errors import NoKeyringError

from desktop.app import AppContext, build_context, build_window
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import TechnicianSession
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import open_vault
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from tests.helpers.browser import StandInBrowser
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring
from tests.helpers.sandbox_app import sandboxed_data_folder

from desktop.ui.account import AccountUi
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e

SHORTCUT = "Ctrl+Shift+I"


@dataclass
class App:
    ctx: AppContext
    window: MainWindow
    dialogs: FakeDialogs

    @property
    def account(self) -> AccountUi:
        assert self.ctx.account is not None
        return self.ctx.account

    @property
    def label(self) -> str:
        return self.account.status.label.text()


def _build(qtbot, paths: DataPaths) -> App:  # type: ignore[no-untyped-def]
    ctx = build_context(paths)
    dialogs = FakeDialogs()
    ctx.dialogs = dialogs  # type: ignore[assignment]
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    app = App(ctx, window, dialogs)
    app.account.start()
    qtbot.waitUntil(lambda: app.account.controller.state.known, timeout=10_000)
    return app


def _finish(app: App) -> None:
    app.ctx.runner.cancel_all()
    app.ctx.runner.wait_for_done(10_000)


@dataclass
class Sandboxed:
    app: App
    sandbox: Sandbox
    demo: Demo
    paths: DataPaths
    browser_log: Path

    def cache(self) -> EncryptedTokenCacheStore:
        return EncryptedTokenCacheStore(open_vault(self.paths))

    def technician_tokens(self) -> list[object]:
        """The sign-in app's refresh tokens in the stored, encrypted cache."""
        from msal import TokenCache

        kind = TokenCache.CredentialType
        query = {"client_id": self.demo.sign_in_client_id}
        return list(self.cache().load().search(kind.REFRESH_TOKEN, query=query))


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    return memory


@pytest.fixture
def sandboxed(  # type: ignore[no-untyped-def]
    qtbot, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring
) -> Iterator[Sandboxed]:
    with sandboxed_data_folder(data_home, tmp_path, monkeypatch) as folder:
        paths = DataPaths(data_home)
        app = _build(qtbot, paths)
        yield Sandboxed(app, folder.sandbox, folder.demo, paths, folder.browser_log)
        _finish(app)


def test_sign_in_and_out_from_the_main_window(qtbot, sandboxed: Sandboxed) -> None:  # type: ignore[no-untyped-def]
    app, demo = sandboxed.app, sandboxed.demo
    assert app.label == "Not signed in"
    assert not app.account.sign_out_action.isEnabled()
    assert app.account.sign_in_action.shortcut().toString() == SHORTCUT

    with qtbot.waitSignal(app.account.controller.signed_in, timeout=60_000) as signed:
        app.account.sign_in_action.trigger()
    assert signed.args == [demo.admin], (app.dialogs.errors, sandboxed.browser_log.read_text())
    qtbot.waitUntil(lambda: not app.account.controller.busy)
    assert app.label == f"Signed in as {demo.admin}"
    assert app.account.status.button.text() == "Sign out"
    assert app.account.sign_out_action.isEnabled()
    assert sandboxed.technician_tokens(), "the sign-in is stored in the encrypted cache"
    assert "/oauth2/v2.0/authorize?" in sandboxed.browser_log.read_text()
    assert app.dialogs.errors == []

    with qtbot.waitSignal(app.account.controller.signed_out, timeout=10_000):
        app.account.status.button.click()  # "Sign out"
    qtbot.waitUntil(lambda: not app.account.controller.busy)
    assert app.label == "Not signed in"
    assert sandboxed.technician_tokens() == []
    # A fresh look at the cache (as at the next start) agrees.
    app.account.controller.refresh()
    qtbot.waitUntil(lambda: app.account.controller._lookup is None, timeout=10_000)
    assert app.account.controller.state.usernames == ()


def test_cancel_while_the_browser_is_open(  # type: ignore[no-untyped-def]
    qtbot, sandboxed: Sandboxed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "true")  # a browser that opens and never answers
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    app = sandboxed.app
    app.account.status.button.click()  # "Sign in…"
    qtbot.waitUntil(lambda: app.account.status.button.text() == "Cancel", timeout=10_000)
    assert "browser" in app.label
    assert app.account.cancel_action.isEnabled()
    assert not app.account.sign_in_action.isEnabled()
    with qtbot.waitSignal(app.account.controller.cancelled, timeout=10_000):
        app.account.status.button.click()  # "Cancel"
    qtbot.waitUntil(lambda: not app.account.controller.busy)
    assert app.label == "Not signed in"
    assert "cancelled" in app.window.statusBar().currentMessage()
    assert app.dialogs.errors == []
    assert sandboxed.technician_tokens() == []
    assert app.account.sign_in_action.isEnabled()


def test_a_sign_in_that_times_out_says_so(  # type: ignore[no-untyped-def]
    qtbot, sandboxed: Sandboxed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "true")
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    settings = Settings.load(sandboxed.paths.settings)
    settings.consent_timeout_seconds = 1
    settings.save(sandboxed.paths.settings)
    app = sandboxed.app
    with qtbot.waitSignal(app.account.controller.failed, timeout=20_000):
        app.account.sign_in_action.trigger()
    (error,) = app.dialogs.errors
    assert "No answer came from the browser within" in error, error
    qtbot.waitUntil(lambda: not app.account.controller.busy)
    assert app.label == "Not signed in"


def test_the_label_follows_a_sign_in_made_elsewhere(qtbot, sandboxed: Sandboxed) -> None:  # type: ignore[no-untyped-def]
    """The wizard, a check or the CLI signs in with its own session over the same cache."""
    app, demo, sandbox = sandboxed.app, sandboxed.demo, sandboxed.sandbox
    assert sandbox.ca_path is not None
    other = TechnicianSession(
        demo.sign_in_client_id, sandboxed.cache(), open_browser=StandInBrowser(sandbox.ca_path)
    )
    other.sign_in(endpoints_for(), demo.tenant_id, timeout=30)
    qtbot.waitUntil(lambda: app.label == f"Signed in as {demo.admin}", timeout=10_000)


def test_no_client_id_says_where_to_set_it(qtbot, data_home: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    app = _build(qtbot, DataPaths(data_home))
    try:
        assert app.label == "Not signed in"
        assert "sign_in_client_id" in app.account.status.label.toolTip()
        with qtbot.waitSignal(app.account.controller.failed, timeout=10_000):
            app.account.sign_in_action.trigger()
        (error,) = app.dialogs.errors
        assert "No client ID is set for the technician sign-in app" in error
        assert "sign_in_client_id" in error and str(app.ctx.paths.settings) in error
    finally:
        _finish(app)


def test_no_keyring_refuses_before_the_browser_opens(  # type: ignore[no-untyped-def]
    qtbot, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = FailingKeyring(NoKeyringError("no backend"))
    monkeypatch.setattr(keyring, "get_keyring", lambda: failing)
    opened = tmp_path / "opened"
    # A "browser" that leaves a mark when it is opened.
    mark = f"import pathlib; pathlib.Path({str(opened)!r}).touch()"
    monkeypatch.setenv("BROWSER", shlex.join([sys.executable, "-c", mark]) + " %s")
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    paths = DataPaths(data_home)
    paths.ensure()
    Settings(sign_in_client_id="11111111-2222-3333-4444-555555555555").save(paths.settings)
    app = _build(qtbot, paths)
    try:
        with qtbot.waitSignal(app.account.controller.failed, timeout=10_000):
            app.account.sign_in_action.trigger()
        (error,) = app.dialogs.errors
        assert "no secure password store" in error, error
        assert not opened.exists()
        qtbot.waitUntil(lambda: not app.account.controller.busy)
        assert app.label == "Not signed in"
    finally:
        _finish(app)
