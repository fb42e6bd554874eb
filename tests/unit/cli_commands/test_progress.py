"""CLI progress lines reach a person at a terminal, never a script reading stderr."""

from __future__ import annotations

import io

import pytest

from desktop.cli_commands import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_said_to_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    progress.say("Opening the system browser…")
    progress.stderr_progress(1, 2, "Waiting for the browser…")
    assert pipe.getvalue() == ""


def test_a_terminal_sees_each_line(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress.say("Opening the system browser…")
    progress.stderr_progress(1, 2, "Waiting for the browser…")
    assert terminal.getvalue().splitlines() == [
        "Opening the system browser…",
        "Waiting for the browser…",
    ]
