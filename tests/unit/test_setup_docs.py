"""The README's two set-up commands, and CI running the second one as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [block.strip() for block in blocks]


def test_the_readme_has_exactly_two_one_line_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_the_first_installs_and_launches_the_gui_entry_point() -> None:
    install, _tests = _setup_commands()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    steps = [step.strip() for step in install.split("&&")]
    assert steps[0] == "python3 -m pip install ."
    # It starts the window with the sandbox's demo data: a first try needs no tenant.
    launch = steps[-1].split()
    assert launch[0] in project["gui-scripts"] and launch[1:] == ["--sandbox"]
    assert project["requires-python"] == ">=3.11"


def test_ci_runs_the_second_command_verbatim() -> None:
    _install, tests = _setup_commands()
    assert "[test]" in tests and tests.endswith("python3 -m pytest")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci_lines


def test_the_linux_packages_a_real_window_needs_are_named_and_installed_by_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # Qt 6.5+'s xcb plugin does not load without it (the window never opens).
    assert "libxcb-cursor0" in section
    assert "libxcb-cursor0" in ci.split("apt_packages=(", 1)[1].split(")", 1)[0]


def test_the_readme_screenshot_is_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert images and all((ROOT / image).is_file() for image in images)
