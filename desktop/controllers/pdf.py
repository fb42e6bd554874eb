"""Print an HTML document to PDF bytes with Qt alone (no extra dependency).

Qt supports painting onto a :class:`QPdfWriter` outside the GUI thread, so the export
controller calls :func:`html_to_pdf` from a worker. Pages are laid out here rather than by
``QTextDocument.print_`` so that font sizes follow the PDF's resolution (not the screen's) and
every page gets a footer with the title and "page N of M".
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from desktop import APP_NAME

#: Landscape A4: a permissions table has a long description column.
PAGE_SIZE = QPageSize.PageSizeId.A4
MARGINS_MM = QMarginsF(12, 12, 12, 10)
RESOLUTION_DPI = 300
FOOTER_POINTS = 8


def html_to_pdf(html: str, title: str) -> bytes:
    """Lay *html* out on numbered landscape A4 pages and return the PDF file's bytes."""
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
    document.setHtml(html)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    _paint_pages(writer, document, title)
    buffer.close()
    return bytes(data.data())


def _paint_pages(writer: QPdfWriter, document: QTextDocument, title: str) -> None:
    dpi = writer.resolution()
    paint_rect = writer.pageLayout().paintRectPixels(dpi)
    footer_height = FOOTER_POINTS * dpi / 72 * 2
    body = QSizeF(paint_rect.width(), paint_rect.height() - footer_height)
    document.setPageSize(body)  # a page size makes the layout paginate (and repeat <thead>)
    pages = document.pageCount()
    footer_font = QFont()
    footer_font.setPointSizeF(FOOTER_POINTS)
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            top = index * body.height()
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, body.width(), body.height()))
            painter.restore()
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
                f"Page {index + 1} of {pages}",
            )
    finally:
        painter.end()
