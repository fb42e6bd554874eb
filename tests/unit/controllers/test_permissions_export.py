"""The export controller writes CSV and PDF files on a worker thread."""

from __future__ import annotations

import csv
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.controllers.permissions_export import ExportFormat, PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.export import permissions_table
from desktop.core.catalog.query import permission_rows
from desktop.core.errors import UserError
from tests.helpers.catalog_factory import small_catalog


@pytest.fixture
def controller(qtbot: QtBot) -> Iterator[PermissionsExportController]:
    runner = TaskRunner()
    yield PermissionsExportController(runner)
    runner.wait_for_done(10_000)


def test_csv_is_written_with_every_row(
    controller: PermissionsExportController, qtbot: QtBot, tmp_path: Path
) -> None:
    rows = permission_rows(small_catalog())
    path = tmp_path / "perms.csv"
    with qtbot.waitSignal(controller.saved, timeout=10_000) as saved:
        controller.export(permissions_table("All", rows), path, ExportFormat.CSV)
    assert saved.args == [str(path)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert [line[2] for line in lines[1:]] == [r.permission for r in rows]
    assert not controller.busy


def test_pdf_is_titled_paginated_and_holds_the_rows(
    controller: PermissionsExportController, qtbot: QtBot, tmp_path: Path
) -> None:
    rows = permission_rows(small_catalog()) * 5  # enough rows for several pages
    path = tmp_path / "perms.pdf"
    table = permissions_table("Permissions of every app", rows)
    with qtbot.waitSignal(controller.saved, timeout=30_000):
        controller.export(table, path, ExportFormat.PDF)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Permissions of every app" in text
    assert "Page 1 of" in text and "Page 2 of" in text
    for row in rows:
        assert row.permission in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Title:           Permissions of every app" in info.stdout


def test_unwritable_path_fails_with_a_user_error(
    controller: PermissionsExportController, qtbot: QtBot, tmp_path: Path
) -> None:
    with qtbot.waitSignal(controller.failed, timeout=10_000) as failed:
        controller.export(permissions_table("x", []), tmp_path / "no" / "x.csv", ExportFormat.CSV)
    error = failed.args[0]
    assert isinstance(error, UserError) and "Could not save" in error.message


@pytest.fixture
def held(qtbot: QtBot) -> Iterator[tuple[PermissionsExportController, threading.Event]]:
    """A controller whose one worker thread is busy until the event is set: an export waits."""
    runner = TaskRunner(max_threads=1)
    release = threading.Event()
    runner.submit("hold the worker", lambda _token, _progress: release.wait(10))
    yield PermissionsExportController(runner), release
    release.set()
    runner.wait_for_done(10_000)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_a_cancelled_export_writes_nothing(
    held: tuple[PermissionsExportController, threading.Event],
    qtbot: QtBot,
    tmp_path: Path,
    fmt: ExportFormat,
) -> None:
    controller, release = held
    path = tmp_path / f"perms.{fmt.value}"
    controller.export(permissions_table("All", permission_rows(small_catalog())), path, fmt)
    controller.cancel()
    with qtbot.waitSignal(controller.cancelled, timeout=10_000):
        release.set()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either
    assert not controller.busy


def test_a_cancel_after_the_file_is_written_reports_it_saved(
    held: tuple[PermissionsExportController, threading.Event], qtbot: QtBot, tmp_path: Path
) -> None:
    controller, release = held
    path = tmp_path / "perms.csv"
    task = controller.export(
        permissions_table("All", permission_rows(small_catalog())), path, ExportFormat.CSV
    )

    def cancel_once_saved(_done: int, _total: int, text: str) -> None:
        if text.startswith("Saved"):  # on the worker, after the file is in place
            task.cancel()

    # Direct: runs on the worker thread before it returns, so the cancel is surely late. (The
    # export is still queued behind the held worker while this is connected.)
    task._report_progress.connect(cancel_once_saved, Qt.ConnectionType.DirectConnection)
    with qtbot.assertNotEmitted(controller.cancelled), qtbot.waitSignal(controller.saved):
        release.set()
    assert task.token.cancelled and path.exists()
