"""What a hostile or careless command line cannot do: forge table rows, crash on huge IDs or
bytes that are not UTF-8, or remove a customer without being asked."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.cli_commands.common import MAX_ID
from tests.helpers.cli_inprocess import fresh_home, one_line_error, run_cli

BOUNDED = settings(derandomize=True, max_examples=40, deadline=None, database=None)
#: Characters that move the cursor, end a line or reorder text on a terminal.
HOSTILE = st.sampled_from(
    ["\x1b", "\x1b[2K\r", "\n", "\r", "\x08", "\x07", "\x9b", "\u202e", "\u2066", "\u200f",
     "\u2028", "\x00", "\x7f"]
)  # fmt: skip


@BOUNDED
@given(
    st.text(string.ascii_letters, min_size=1, max_size=8),
    HOSTILE,
    st.text(string.ascii_letters + " ", max_size=8),
)
def test_control_and_bidi_characters_are_escaped_in_tables(head: str, bad: str, tail: str) -> None:
    with fresh_home():
        added = run_cli(["customers", "add", f"{head}{bad}{tail}", "--notes", f"n{bad}"])
        assert added.code == 0, added.err
        for command in (["customers", "list"], ["customers", "list", "--format", "table"]):
            listed = run_cli(command)
            lines = listed.out.splitlines()
            assert listed.code == 0 and len(lines) == 3  # header, dashes, one row: no forged rows
            assert all(line.isprintable() for line in lines)
            assert head in lines[2]


COMMANDS_WITH_IDS = [
    ["profiles", "show"],
    ["profiles", "delete"],
    ["check"],
    ["reauthorize"],
    ["profiles", "mark", "--user-left"],
]


@pytest.mark.parametrize("command", COMMANDS_WITH_IDS)
@pytest.mark.parametrize("value", [str(MAX_ID + 1), str(2**64), "9" * 30, "0", "-1", "١٢"])
def test_ids_out_of_range_are_one_line_errors(command: list[str], value: str) -> None:
    ran = run_cli([*command, value])
    assert one_line_error(ran), ran
    assert "is not an ID" in ran.err


def test_the_largest_id_is_looked_up() -> None:
    ran = run_cli(["profiles", "show", str(MAX_ID)])
    assert one_line_error(ran) and f"no app profile #{MAX_ID}" in ran.err


@pytest.mark.parametrize(
    "argv",
    [
        ["customers", "add", "Cont\udcffoso"],
        ["tenants", "add", "--customer", "x", "--domain", "a\udce9.com"],
        ["permissions", "--search", "\udc80"],
    ],
)
def test_arguments_that_are_not_utf8_are_one_line_errors(argv: list[str]) -> None:
    ran = run_cli(argv)
    assert one_line_error(ran), ran
    assert "not UTF-8" in ran.err


def test_a_password_on_stdin_that_is_not_utf8_is_one_line(tmp_path: object) -> None:
    from pathlib import Path

    pfx = Path(str(tmp_path)) / "app.pfx"
    from tests.helpers.certificates import app_certificate

    pfx.write_bytes(app_certificate()[1])
    ran = run_cli(["cert", "inspect", str(pfx), "--password-stdin"], stdin=b"p\xffw\n")
    assert one_line_error(ran), ran
    assert "not UTF-8" in ran.err


def test_a_tenant_id_with_a_newline_is_refused_and_not_stored() -> None:
    guid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    assert run_cli(["customers", "add", "Contoso"]).code == 0
    ran = run_cli(["tenants", "add", "--customer", "Contoso", "--id", f"{guid}\n"])
    assert one_line_error(ran) and "not a tenant ID" in ran.err
    ok = run_cli(["tenants", "add", "--customer", "Contoso", "--id", f"{{{guid.upper()}}}"])
    assert ok.code == 0, ok.err
    stored = json.loads(run_cli(["tenants", "list", "--format", "json"]).out)
    assert [t["tenant_id"] for t in stored] == [guid]


def test_customers_remove_asks_unless_yes() -> None:
    assert run_cli(["customers", "add", "Fabrikam"]).code == 0
    asked = run_cli(["customers", "remove", "Fabrikam"])
    assert asked.code == 2 and "Add --yes to confirm" in asked.err
    assert "Fabrikam" in asked.err  # the plan is shown
    still = json.loads(run_cli(["customers", "list", "--format", "json"]).out)
    assert [c["name"] for c in still] == ["Fabrikam"]
    assert run_cli(["customers", "remove", "Fabrikam", "--yes"]).code == 0
    assert json.loads(run_cli(["customers", "list", "--format", "json"]).out) == []
