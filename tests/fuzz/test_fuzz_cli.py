"""Generated command lines against a store with demo data, run in this process: every command
that needs no network, with its arguments drawn from hostile text (control and bidi
characters, line breaks, lone surrogates, huge and non-ASCII numbers, devices as file names).

Whatever the input, the exit code is 0, 1 or 2, nothing is a traceback or an "Unexpected
error", an error is one printable line, and all output can be written as UTF-8.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers.cli_inprocess import Ran, run_cli, use_home
from tests.helpers.fuzz import NASTY_VALUES, budget, nasty_text

#: Offline commands; ``{}`` is an argument slot. Checks, sign-in and consent need the network.
TEMPLATES = [
    ["customers", "add", "{}", "--notes", "{}"],
    ["customers", "list", "--format", "{}"],
    ["customers", "rename", "{}", "{}"],
    ["customers", "notes", "{}", "{}"],
    ["customers", "services", "{}", "{}", "{}"],
    ["customers", "remove", "{}"],
    ["tenants", "add", "--customer", "{}", "--domain", "{}", "--id", "{}", "--name", "{}"],
    ["tenants", "add", "--customer", "{}", "--id", "{}"],
    ["tenants", "list", "--customer", "{}"],
    ["tenants", "remove", "{}"],
    ["profiles", "list", "--status", "{}", "--customer", "{}"],
    ["profiles", "show", "{}"],
    ["profiles", "show", "{}", "--format", "{}"],
    ["profiles", "delete", "{}"],
    ["profiles", "mark", "{}", "--user-left", "--note", "{}"],
    ["apps", "--format", "{}"],
    ["permissions", "--app", "{}", "--api", "{}", "--search", "{}"],
    ["permissions", "--search", "{}", "--format", "{}"],
    ["cert", "inspect", "{}"],
    ["cert", "inspect", "{}", "--password-stdin"],
    ["consent-link", "--customer", "{}", "--tenant", "{}", "--service", "{}"],
    ["demo", "seed", "--customers", "{}", "--profiles", "0"],
    ["demo", "seed", "--customers", "1", "--profiles", "{}"],
    ["{}"],
    ["customers", "{}"],
]
ARGUMENTS = st.one_of(
    nasty_text(),
    st.sampled_from(NASTY_VALUES),
    st.sampled_from(["table", "csv", "json", "text", "1", "2", "Contoso", "Valid"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@pytest.fixture(scope="module")
def demo_home() -> Iterator[Path]:
    """One data folder with demo customers, tenants and profiles for all examples."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    with use_home(folder):
        seeded = run_cli(["demo", "seed", "--customers", "4", "--profiles", "12"])
        assert seeded.code == 0, seeded.err
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _promises_kept(argv: list[str], ran: Ran) -> None:
    assert ran.code in (0, 1, 2), (argv, ran)
    assert "Traceback" not in ran.err and "Unexpected error" not in ran.err, (argv, ran)
    ran.out.encode("utf-8")  # a lone surrogate would crash a real terminal's stdout
    ran.err.encode("utf-8")
    if ran.code == 2:
        lines = ran.err.strip().splitlines()
        assert lines, (argv, ran)
        assert lines[-1].isprintable(), (argv, ran)  # no ESC or bidi override in an error


@budget(80)
@example(template=0, args=["Contoso\x1b[2K\rForged", "n\u202e"], stdin=b"")
@example(template=7, args=["x", "72f988bf-86f1-41af-91ab-2d7cd011db47\n"], stdin=b"")
@example(template=11, args=[str(2**63)], stdin=b"")
@example(template=18, args=["/dev/zero"], stdin=b"")
@example(template=19, args=["/dev/null"], stdin=b"\xff\xfe\n")
@example(template=0, args=["Cont\udcffoso", ""], stdin=b"")
@example(template=21, args=[str(10**20)], stdin=b"")
@given(
    template=st.integers(min_value=0, max_value=len(TEMPLATES) - 1),
    args=st.lists(ARGUMENTS, min_size=5, max_size=5),
    stdin=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_generated_command_lines_keep_the_promises(
    demo_home: Path, template: int, args: list[str], stdin: bytes
) -> None:
    slots = iter(args)
    argv = [next(slots) if token == "{}" else token for token in TEMPLATES[template]]
    with use_home(demo_home):
        _promises_kept(argv, run_cli(argv, stdin=stdin))
