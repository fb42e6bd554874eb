"""The PDF printer keeps table rows whole and never breaks a word inside."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QTextDocument

from desktop.controllers.pdf import _first_table, _row_edges, html_to_pdf, page_bands
from desktop.core.catalog.export import LONG_WORD, permissions_table, table_to_html
from desktop.core.catalog.query import permission_rows
from desktop.core.errors import CancelledError
from tests.helpers.catalog_factory import small_catalog
from tests.helpers.inventory import shipped_catalog


def _document(rows: int) -> QTextDocument:
    table = permissions_table("Rows", permission_rows(small_catalog()) * rows)
    document = QTextDocument()
    document.setHtml(table_to_html(table, footer="The end."))
    document.setTextWidth(900)
    return document


@pytest.mark.parametrize("page_height", [150.0, 233.0, 400.0])
def test_pages_break_between_rows_and_repeat_the_header(qtbot: QtBot, page_height: float) -> None:
    document = _document(4)
    table = _first_table(document)
    assert table is not None
    edges = _row_edges(document, table)
    assert edges == sorted(edges) and len(edges) == table.rows() + 1
    bands = page_bands(document, page_height)
    assert len(bands) > 1
    assert bands[0].top == 0 and bands[-1].bottom == pytest.approx(document.size().height())
    for before, after in itertools.pairwise(bands):
        assert after.top == before.bottom  # nothing skipped, nothing twice
        assert before.bottom in edges  # a page ends where a row ends
        assert after.header == (edges[0], edges[1])  # the header row on top of every page
    for band in bands:
        header = band.header[1] - band.header[0] if band.header else 0.0
        assert band.bottom - band.top + header <= page_height + 0.01


def test_a_document_without_a_table_is_cut_into_pages(qtbot: QtBot) -> None:
    document = QTextDocument()
    document.setHtml("<p>line</p>" * 200)
    document.setTextWidth(500)
    bands = page_bands(document, 100.0)
    assert len(bands) > 2 and all(b.header is None for b in bands)
    assert bands[-1].bottom == pytest.approx(document.size().height())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_every_word_of_the_shipped_catalog_is_whole_in_the_pdf(
    qtbot: QtBot, tmp_path: Path
) -> None:
    rows = permission_rows(shipped_catalog())
    table = permissions_table("Permissions of every app type", rows)
    path = tmp_path / "all.pdf"
    path.write_bytes(html_to_pdf(table_to_html(table), table.title))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u200b", "")
    text = unicodedata.normalize("NFKC", text)  # the PDF's "ﬁ" ligature is two letters
    words = set(text.split())
    for row in rows:
        if len(row.permission) <= LONG_WORD:
            assert row.permission in words
        else:  # it may wrap after a dot, and only there
            name = row.permission
            cuts = [i + 1 for i, ch in enumerate(name) if ch == "."]
            assert name in words or any(name[:i] in words and name[i:] in words for i in cuts)
        missing = [w for w in row.description.split() if w not in words]
        assert not missing, f"{row.permission}: {missing} broken across lines"


def test_rendering_stops_when_asked(qtbot: QtBot) -> None:
    html = table_to_html(permissions_table("All", permission_rows(small_catalog())))
    asked: list[int] = []

    def stop_at_first_page() -> bool:
        asked.append(1)
        return True

    with pytest.raises(CancelledError):
        html_to_pdf(html, "All", stop_at_first_page)
    assert asked == [1]
    assert html_to_pdf(html, "All", lambda: False).startswith(b"%PDF")
