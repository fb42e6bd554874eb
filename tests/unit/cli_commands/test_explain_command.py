"""``explain``: a code or trace ID pasted from Microsoft's error page, in words."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from subprocess import CompletedProcess

import pytest

from desktop.cli_commands import progress
from desktop.cli_commands.explain import WAITING_LINE

Cli = Callable[..., CompletedProcess[str]]


def test_a_pasted_error_page_line_is_explained(cli: Cli) -> None:
    result = cli(
        "explain", "AADSTS53003: Access has been blocked by Conditional Access policies.",
        "--tenant", "contoso.com", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["codes"] == ["AADSTS53003"]
    assert "Conditional Access policy of contoso.com" in found["what_happened"]
    assert found["what_to_do"]


def test_standard_input_is_read_when_no_text_is_given(cli: Cli) -> None:
    result = cli(
        "explain", "--format", "json", input_text="Trace ID: 0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f\n"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["trace_ids"] == ["0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f"]


def test_nothing_recognisable_is_bad_input_in_one_line(cli: Cli) -> None:
    result = cli("explain", "it", "did", "not", "work")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "AADSTS" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_waiting_line_says_how_to_cancel_and_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress.say(WAITING_LINE)
    line = terminal.getvalue()
    assert "Microsoft error page" in line and "Ctrl+C" in line and "explain" in line
