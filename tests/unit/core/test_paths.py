"""The data folder's id: random, kept in the folder, created whole and once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths, folder_id


def test_created_on_first_use_then_kept(tmp_path: Path) -> None:
    path = DataPaths(tmp_path).folder_id
    first = folder_id(path)
    assert len(first) == 32 and int(first, 16) >= 0
    assert folder_id(path) == first
    assert folder_id(DataPaths(tmp_path / "other").folder_id) != first
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["folder-id"], "no temp file"


def test_callers_starting_together_agree_on_one_id(tmp_path: Path) -> None:
    path = DataPaths(tmp_path).folder_id
    start = threading.Barrier(8)
    found: list[str] = []

    def create() -> None:
        start.wait()
        found.append(folder_id(path))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1
    assert path.read_text().strip() == found[0]


@pytest.mark.parametrize("content", [b"", b"not an id\n", b"\xff" * 32])
def test_a_damaged_id_is_refused_not_replaced(tmp_path: Path, content: bytes) -> None:
    path = DataPaths(tmp_path).folder_id
    path.write_bytes(content)
    with pytest.raises(UserError, match="damaged"):
        folder_id(path)
    assert path.read_bytes() == content
