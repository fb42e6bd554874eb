"""CLI tables on a technician's terminal: 120 columns at most, long cells cut or wrapped, one
object's CSV a header and a row, and ``profiles show`` with names and a history a line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from desktop.cli_commands.output import TABLE_WIDTH, emit, emit_object
from tests.helpers.cli_inprocess import run_cli


@pytest.fixture
def demo() -> None:
    seeded = run_cli(["demo", "seed", "--customers", "12", "--profiles", "60"])
    assert seeded.code == 0, seeded.err


@pytest.mark.parametrize(
    "command",
    [["customers", "list"], ["tenants", "list"], ["profiles", "list"], ["apps"], ["permissions"]],
)
def test_tables_fit_120_columns(demo: None, command: list[str]) -> None:
    ran = run_cli(command)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert len(lines) > 2
    assert max(len(line) for line in lines) <= TABLE_WIDTH


def test_a_cut_cell_ends_with_an_ellipsis_and_ids_are_never_cut() -> None:
    out = io.StringIO()
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    emit([{"tenant_id": tenant, "notes": "word " * 100}], "table", ["tenant_id", "notes"], out=out)
    row = out.getvalue().splitlines()[2]
    assert len(row) == TABLE_WIDTH and row.startswith(tenant) and row.endswith("…")


def test_a_wrapped_table_keeps_every_word() -> None:
    out = io.StringIO()
    text = " ".join(f"word{i}" for i in range(60))
    emit([{"a": "x", "b": text}], "table", ["a", "b"], out=out, wrap=True)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= TABLE_WIDTH and len(lines) > 3
    assert " ".join(line[3:].strip() for line in lines[2:]) == text


def test_one_object_as_csv_is_a_header_and_a_row() -> None:
    out = io.StringIO()
    emit_object({"id": 7, "status": "Valid", "codes": ["a", "b"], "ok": True}, "csv", out=out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["id", "status", "codes", "ok"],
        ["7", "Valid", "a, b", "yes"],
    ]


def test_profiles_show_gives_names_and_a_history_a_line(demo: None) -> None:
    ran = run_cli(["profiles", "show", "1"])
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    fields = dict(line.split(None, 1) for line in lines if line and not line.startswith(" ") and
                  len(line.split(None, 1)) == 2)  # fmt: skip
    shown = run_cli(["profiles", "show", "1", "--format", "json"])
    obj = json.loads(shown.out)
    assert obj["app_type_name"] and obj["service_names"]
    assert fields["app_type"] == f"{obj['app_type_name']} ({obj['app_type']})"
    assert fields["services"] == ", ".join(obj["service_names"])
    start = lines.index("history")
    history = lines[start + 1 :]
    assert len(history) == len(obj["history"]) >= 2
    assert all(line.startswith("  ") for line in history)
    assert obj["history"][0]["at"] in history[0]


def test_a_mapping_cell_is_json_in_csv_and_key_value_pairs_in_a_table() -> None:
    rows = [{"entity": "tenant", "ids": {"tenant_id": "11111111-2222", "customer": 3}}]
    out = io.StringIO()
    emit(rows, "csv", ["entity", "ids"], out=out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert json.loads(row["ids"]) == rows[0]["ids"]

    out = io.StringIO()
    emit_object({"groups": {"north": ["Contoso", "Fabrikam"]}}, "table", out=out)
    assert out.getvalue() == "groups  north: Contoso, Fabrikam\n"
