"""The appRole/scope name cache: per cloud, on disk, stale after a week, one refresh per API
per run, and a damaged file only costs a read."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from desktop.core.checks.name_map import MAX_AGE, NameMapCache, names_of

GRAPH = "00000003-0000-0000-c000-000000000000"


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_names_are_kept_per_cloud_and_read_back_by_a_new_run(tmp_path: Path) -> None:
    cache = NameMapCache(tmp_path)
    cache.store("global", GRAPH.upper(), {"r1": "User.Read.All"}, {"s1": "User.Read"})
    cache.store("usgov", GRAPH, {"r9": "Other.Read.All"}, {})
    again = NameMapCache(tmp_path)
    assert again.role_names("global", GRAPH) == {"r1": "User.Read.All"}
    assert again.role_names("usgov", GRAPH) == {"r9": "Other.Read.All"}
    assert again.known_apis("china") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["global.json", "usgov.json"]


def test_names_older_than_a_week_are_not_fresh(tmp_path: Path) -> None:
    clock = _Clock()
    cache = NameMapCache(tmp_path, clock=clock)
    assert not cache.fresh("global", GRAPH)
    cache.store("global", GRAPH, {"r1": "User.Read.All"}, {})
    assert cache.fresh("global", GRAPH)
    clock.now += MAX_AGE + 1
    assert not NameMapCache(tmp_path, clock=clock).fresh("global", GRAPH)


def test_an_api_is_refreshed_for_an_unknown_id_once_per_run() -> None:
    cache = NameMapCache()
    assert cache.may_refresh("global", GRAPH)
    assert not cache.may_refresh("global", GRAPH.upper())
    assert cache.may_refresh("usgov", GRAPH)
    assert NameMapCache().may_refresh("global", GRAPH)  # the next run may again


def test_a_damaged_file_is_read_as_empty_and_rewritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "global.json").write_text("{not json")
    with caplog.at_level(logging.WARNING):
        cache = NameMapCache(tmp_path)
        assert cache.known_apis("global") == []
    assert "unreadable" in caplog.text
    cache.store("global", GRAPH, {"r1": "User.Read.All"}, {})
    data = json.loads((tmp_path / "global.json").read_text())
    assert data["apis"][GRAPH]["roles"] == {"r1": "User.Read.All"}


def test_an_unwritable_folder_keeps_the_names_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = NameMapCache(blocker / "names")  # its parent is a file: nothing can be written
    with caplog.at_level(logging.WARNING):
        cache.store("global", GRAPH, {"r1": "User.Read.All"}, {})
    assert cache.role_names("global", GRAPH) == {"r1": "User.Read.All"}
    assert "could not be written" in caplog.text


def test_names_of_a_service_principal_by_lower_case_id() -> None:
    roles, scopes = names_of(
        {
            "appRoles": [{"id": "AB-1", "value": "User.Read.All"}, {"id": "x"}],
            "oauth2PermissionScopes": [{"id": "cd-2", "value": "User.Read"}],
        }
    )
    assert roles == {"ab-1": "User.Read.All"}
    assert scopes == {"cd-2": "User.Read"}
