"""The browser chosen in Settings opens URLs; with none, the system default does."""

from __future__ import annotations

import stat
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.browser_choice import chosen_browser, use_browser


@pytest.fixture(autouse=True)
def _default_afterwards() -> Iterator[None]:
    yield
    use_browser("")


def test_the_chosen_program_gets_the_url(tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    program = tmp_path / "browser"
    program.write_text(f'#!/bin/sh\necho "$1" > {seen}\n')
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    use_browser(str(program))
    assert webbrowser.open("https://login.example/x") is True
    for _ in range(500):  # the program runs on its own; wait for its file, not a time
        if seen.exists() and seen.read_text():
            break
        time.sleep(0.01)
    assert seen.read_text().strip() == "https://login.example/x"


def test_empty_means_the_system_default() -> None:
    use_browser("/bin/true")
    use_browser("")
    assert chosen_browser() == ""
