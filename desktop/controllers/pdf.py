"""Print an HTML document to PDF bytes with Qt alone (no extra dependency).

Qt supports painting onto a :class:`QPdfWriter` outside the GUI thread, so the export
controller calls :func:`html_to_pdf` from a worker. Pages are laid out here rather than by
``QTextDocument.print_`` so that font sizes follow the PDF's resolution (not the screen's),
every page gets a footer with the title and "page N of M", and page breaks fall between table
rows: Qt's own pagination cuts a row in two, which a reader easily misreads. The document is
laid out once as one long page; each PDF page shows a band of it that ends at a row boundary,
with the table's header row repeated on top.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
    QTextTable,
)

from desktop import APP_NAME
from desktop.core.errors import CancelledError

#: Landscape A4: a permissions table has a long description column.
PAGE_SIZE = QPageSize.PageSizeId.A4
MARGINS_MM = QMarginsF(12, 12, 12, 10)
RESOLUTION_DPI = 300
FOOTER_POINTS = 8


def html_to_pdf(html: str, title: str, should_stop: Callable[[], bool] | None = None) -> bytes:
    """Lay *html* out on numbered landscape A4 pages and return the PDF file's bytes.

    *should_stop* is asked before each page; when it says yes, :class:`CancelledError` is
    raised and nothing is returned."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(APP_NAME)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZE),
            QPageLayout.Orientation.Landscape,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    layout = document.documentLayout()
    assert isinstance(layout, QAbstractTextDocumentLayout)
    layout.setPaintDevice(writer)  # measure fonts at the PDF's resolution
    # Break lines only between words (Qt's default also breaks inside a word when a column
    # looks too narrow, which turned "agreements" into "agreeme nts").
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    document.setDefaultTextOption(option)
    document.setHtml(html)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    try:
        _paint_pages(writer, document, title, should_stop or (lambda: False))
    finally:
        buffer.close()
    return bytes(data.data())


@dataclass(frozen=True)
class _Band:
    """One page: the document from *top* to *bottom*, below a repeated header if any."""

    top: float
    bottom: float
    header: tuple[float, float] | None = None


def _paint_pages(
    writer: QPdfWriter, document: QTextDocument, title: str, should_stop: Callable[[], bool]
) -> None:
    dpi = writer.resolution()
    paint_rect = writer.pageLayout().paintRectPixels(dpi)
    footer_height = FOOTER_POINTS * dpi / 72 * 2
    body = QSizeF(paint_rect.width(), paint_rect.height() - footer_height)
    document.setTextWidth(body.width())  # one long page, cut into bands below
    bands = page_bands(document, body.height())
    footer_font = QFont()
    footer_font.setPointSizeF(FOOTER_POINTS)
    painter = QPainter(writer)
    try:
        for index, band in enumerate(bands):
            if should_stop():
                raise CancelledError()
            if index:
                writer.newPage()
            y = 0.0
            if band.header is not None:
                y = _paint_band(painter, document, body.width(), *band.header, y)
            _paint_band(painter, document, body.width(), band.top, band.bottom, y)
            painter.setFont(footer_font)
            footer = QRectF(0, body.height(), body.width(), footer_height)
            painter.drawText(
                footer,
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft),
                title,
            )
            painter.drawText(
                footer,
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight),
                f"Page {index + 1} of {len(bands)}",
            )
    finally:
        painter.end()


def _paint_band(
    painter: QPainter, document: QTextDocument, width: float, top: float, bottom: float, at: float
) -> float:
    """Draw the document's strip [top, bottom) at page height *at*; returns where it ends."""
    painter.save()
    painter.translate(0, at - top)
    painter.setClipRect(QRectF(0, top, width, bottom - top))
    document.drawContents(painter, QRectF(0, top, width, bottom - top))
    painter.restore()
    return at + bottom - top


def page_bands(document: QTextDocument, page_height: float) -> list[_Band]:
    """Cut the laid-out *document* into page-high bands, breaking only between table rows
    (a row taller than a page is cut where it must be)."""
    end = document.size().height()
    table = _first_table(document)
    if table is None or table.rows() < 2:
        return _plain_bands(end, page_height)
    edges = _row_edges(document, table)
    header = (edges[0], edges[1])
    header_height = header[1] - header[0]
    bands: list[_Band] = []
    top, repeat = 0.0, False
    cuts = [*edges[2:], *_line_ends_after(document, edges[-1]), end]
    while top < end - 0.5:
        room = page_height - (header_height if repeat else 0.0)
        limit = top + room
        fitting = [cut for cut in cuts if top < cut <= limit]
        bottom = fitting[-1] if fitting else min(limit, end)
        if bottom >= edges[-1] and end <= limit:
            bottom = end  # the rest (text under the table) fits too
        bands.append(_Band(top, bottom, header if repeat else None))
        repeat = bottom < edges[-1]
        top = bottom
    return bands


def _line_ends_after(document: QTextDocument, below: float) -> list[float]:
    """Where each line of text under the table ends (the roles and notes), so a page break
    there falls between lines, never through one."""
    layout = document.documentLayout()
    ends: list[float] = []
    block = document.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        if rect.top() >= below:
            lines = block.layout()
            ends += [rect.top() + lines.lineAt(i).rect().bottom() for i in range(lines.lineCount())]
        block = block.next()
    return ends


def _plain_bands(end: float, page_height: float) -> list[_Band]:
    count = max(1, math.ceil(end / page_height))
    return [_Band(i * page_height, min((i + 1) * page_height, end)) for i in range(count)]


def _first_table(document: QTextDocument) -> QTextTable | None:
    for frame in document.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            return frame
    return None


def _row_edges(document: QTextDocument, table: QTextTable) -> list[float]:
    """The document heights where each row starts, then where the table ends.

    Qt reports where a cell's text starts and ends, not the cell's edges; two rows meet
    halfway between one row's text and the next (their paddings and borders are alike).
    """
    layout = document.documentLayout()
    tops, bottoms = [], []
    for row in range(table.rows()):
        cells = [table.cellAt(row, c) for c in range(table.columns())]
        tops.append(
            min(layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
        )
        bottoms.append(
            max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells)
        )
    half_gap = max(0.0, (tops[1] - bottoms[0]) / 2)
    edges = [max(0.0, tops[0] - half_gap)]
    edges += [(bottoms[r - 1] + tops[r]) / 2 for r in range(1, len(tops))]
    return [*edges, bottoms[-1] + half_gap]
