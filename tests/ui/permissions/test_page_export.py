"""Exporting the current view to CSV and PDF from the page."""

from __future__ import annotations

import csv
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.controllers.permissions_export import ExportFormat, PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.export import marker_text
from desktop.core.errors import UserError
from tests.helpers.catalog_factory import small_catalog
from tests.helpers.dialogs import FakeDialogs
from tests.ui.permissions.conftest import PageHarness, SavePaths

from desktop.ui.permissions import PermissionsPage
from desktop.ui.permissions.browse import SelectionKind


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def export(qtbot: QtBot, h: PageHarness, path: Path, fmt: ExportFormat) -> None:
    h.save_paths.queued.append(str(path))
    with qtbot.waitSignal(h.exporter.saved, timeout=30_000):
        h.page.export(fmt)


def test_csv_export_is_the_current_view(qtbot: QtBot, harness: PageHarness, tmp_path: Path) -> None:
    browse = harness.page.browse
    browse.browser.select(SelectionKind.APP, "baseline")
    browse.filters.type_combo.setCurrentIndex(2)  # Delegated
    column = browse.model.headers().index("Permission")
    browse.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    shown = browse.visible_rows()
    export(qtbot, harness, tmp_path / "baseline", ExportFormat.CSV)  # no extension typed
    lines = read_csv(tmp_path / "baseline.csv")
    assert lines[0] == ["Privilege level", *browse.model.headers()]
    assert [line[column + 1] for line in lines[1:]] == [r.permission for r in shown]
    marker = lines[0].index("High privilege")
    for row, line in zip(shown, lines[1:], strict=True):
        assert line[marker] == marker_text(row.high_privilege_reason, row.privilege_level)
        level = (
            row.privilege_level.label if row.high_privilege_reason and row.privilege_level else ""
        )
        assert line[0] == level, "the level alone, for a spreadsheet's filter"
    assert str(tmp_path / "baseline.csv") in harness.page.status.text()
    _caption, suggested, name_filter = harness.save_paths.asked[0]
    assert suggested.endswith("Permissions-required-by-APElements-Baseline-Management.csv")
    assert name_filter == "CSV files (*.csv)"


def test_compare_view_exports_the_comparison(
    qtbot: QtBot, harness: PageHarness, tmp_path: Path
) -> None:
    harness.page.views.setCurrentWidget(harness.page.compare)
    harness.page.compare.set_pair("automation", "security")
    export(qtbot, harness, tmp_path / "cmp.csv", ExportFormat.CSV)
    lines = read_csv(tmp_path / "cmp.csv")
    assert lines[0][:3] == ["Privilege level", "High privilege", "Required by"]
    assert len(lines) - 1 == harness.page.compare.model.rowCount()
    assert harness.page.current_table().title == (
        "Compare APElements Automation with APElements Security and Analysis"
    )


def test_pdf_export_opens_and_contains_the_rows(
    qtbot: QtBot, harness: PageHarness, tmp_path: Path
) -> None:
    browse = harness.page.browse
    browse.filters.search.setText("graph")
    shown = browse.visible_rows()
    path = tmp_path / "graph.pdf"
    export(qtbot, harness, path, ExportFormat.PDF)
    assert path.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Permissions of every app type" in text
    assert "Search “graph”" in text
    assert "Page 1 of" in text
    for row in shown:
        assert row.permission in text
    assert "Sites.FullControl.All" not in text  # SharePoint, filtered out of this view


def test_cancelled_save_dialog_writes_nothing(harness: PageHarness, tmp_path: Path) -> None:
    harness.page.export(ExportFormat.CSV)  # nothing queued: the dialog is cancelled
    assert not harness.exporter.busy
    assert harness.page.status.text() == ""


def test_failed_export_shows_an_error(qtbot: QtBot, harness: PageHarness, tmp_path: Path) -> None:
    harness.save_paths.queued.append(str(tmp_path / "missing" / "x.csv"))
    with qtbot.waitSignal(harness.exporter.failed, timeout=10_000):
        harness.page.export(ExportFormat.CSV)
    _title, error = harness.dialogs.shown_errors[0]
    assert isinstance(error, UserError) and "Could not save x.csv" in error.message
    assert harness.page.export_csv.isEnabled()


def test_a_slow_export_offers_cancel_and_cancelling_saves_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    runner = TaskRunner(max_threads=1)
    release = threading.Event()
    runner.submit("hold the worker", lambda _token, _progress: release.wait(10))
    exporter = PermissionsExportController(runner)
    save_paths = SavePaths([str(tmp_path / "slow.pdf")])
    page = PermissionsPage(small_catalog(), exporter, FakeDialogs(), ask_save_path=save_paths)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    try:
        page.export(ExportFormat.PDF)
        assert not page.export_pdf.isEnabled()
        qtbot.waitUntil(page.cancel_export.isVisible)  # still running after a moment
        with qtbot.waitSignal(exporter.cancelled):
            qtbot.mouseClick(page.cancel_export, Qt.MouseButton.LeftButton)
            release.set()
        assert not (tmp_path / "slow.pdf").exists()
        assert "cancelled" in page.status.text() and "nothing was saved" in page.status.text()
        assert not page.cancel_export.isVisible() and page.export_pdf.isEnabled()
    finally:
        release.set()
        runner.wait_for_done(10_000)


def test_pdf_of_an_app_has_its_roles_and_notes(
    qtbot: QtBot, harness: PageHarness, tmp_path: Path
) -> None:
    """The customer's admin gets the directory roles, Azure roles and notes with the table."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    for app_id in ("baseline", "azure"):
        harness.page.browse.browser.select(SelectionKind.APP, app_id)
        app = harness.catalog.app_type(app_id)
        path = tmp_path / f"{app_id}.pdf"
        export(qtbot, harness, path, ExportFormat.PDF)
        text = " ".join(
            subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        assert f"Directory roles of {app.label}" in text
        for role in app.directory_roles:
            assert role.name in text
        for req in app.azure_roles:
            assert req.requirement in text
        for note in app.notes:
            assert " ".join(note.split()) in text


def test_the_first_export_is_offered_in_the_documents_folder(
    harness: PageHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(
        "desktop.ui.permissions.page.QStandardPaths.writableLocation", lambda _where: str(documents)
    )
    harness.page.export(ExportFormat.CSV)
    _caption, suggested, _filter = harness.save_paths.asked[-1]
    assert Path(suggested).parent == documents
    documents.rmdir()  # a Documents folder that does not exist: the home folder instead
    harness.page.export(ExportFormat.PDF)
    assert Path(harness.save_paths.asked[-1][1]).parent == Path.home()
