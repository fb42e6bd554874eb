"""Catalog overrides as an organization's admin (or an attacker) might write them: a valid
override with one value swapped for any JSON, raw numbers of 4,301 digits, nesting past the
parser and lone surrogates. The app always starts with a catalog; a bad override is one line
naming the file, and what is accepted can be printed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from desktop.core.catalog.loader import load_catalog, load_shipped
from desktop.core.paths import DataPaths
from tests.helpers.cli_inprocess import run_cli, use_home
from tests.helpers.fuzz import (
    PLACEHOLDER,
    RAW_JSON,
    budget,
    dump_with_raw,
    json_values,
    nasty_text,
    set_leaf,
)

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
VALID: dict[str, Any] = {
    "version": "contoso-3",
    "client_ids": {"apelements-automation": CLIENT_ID},
    "services": [{"id": "contoso-reports", "name": "Contoso reports", "family": "aos",
                  "creatable": True}],
    "app_types": [{
        "id": "contoso-reporting", "name": "Contoso Reporting", "description": "Reporting.",
        "services": ["contoso-reports"], "modes": ["modern"], "consent_methods": ["admin"],
        "kind": "application", "creatable": True, "client_id": CLIENT_ID,
        "permissions": [{"api": "Microsoft Graph", "permission": "Reports.Read.All",
                         "description": "Read all usage reports", "type": "Application"}],
    }],
}  # fmt: skip

SHIPPED = load_shipped()
leaves = st.one_of(json_values(), nasty_text(), st.just(PLACEHOLDER))


def _check(home: Path, text: str) -> None:
    override = DataPaths(home).catalog_override
    override.write_bytes(text.encode("utf-8", "surrogatepass"))
    loaded = load_catalog(override)
    assert len(loaded.problems) <= 1
    if loaded.problems:
        (message,) = loaded.problems
        assert message.startswith(f"{override}: ") and "\n" not in message
        assert loaded.catalog == SHIPPED
        message.encode("utf-8")
        return
    for command in (["apps"], ["apps", "--format", "json"], ["permissions", "--format", "csv"]):
        ran = run_cli(command)
        assert ran.code == 0 and "Traceback" not in ran.err, (command, ran)
        ran.out.encode("utf-8")


def seeded(test: Any) -> Any:
    """Every raw class that broke the app once, at the top, in a value and in a key's value."""
    for raw in RAW_JSON:
        for path in ([0], [3, 0, 2], [1, 0]):
            test = example(path=path, leaf=PLACEHOLDER, raw=[raw])(test)
    return test


@budget(50)
@seeded
@given(
    path=st.lists(st.integers(min_value=0, max_value=20), max_size=6),
    leaf=leaves,
    raw=st.lists(st.sampled_from(RAW_JSON), min_size=1, max_size=2),
)
def test_one_value_swapped_in_a_valid_override(path: list[int], leaf: Any, raw: list[str]) -> None:
    text = dump_with_raw(set_leaf(copy.deepcopy(VALID), path, leaf), raw)
    with use_home() as home:
        _check(home, text)


@budget(30)
@given(st.dictionaries(st.sampled_from(sorted(VALID)), json_values(), max_size=4))
def test_any_top_level_values(obj: dict[str, Any]) -> None:
    with use_home() as home:
        _check(home, json.dumps(obj))
