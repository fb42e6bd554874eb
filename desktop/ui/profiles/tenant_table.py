"""The customer dialog's tenant table: the tenant ID shown whole while the domain has room."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.ui.profiles.customer_models import TenantTableModel


class TenantTableView(QTableView):
    """One customer's tenants (domain, tenant ID, cloud), sharing out the width itself."""

    def __init__(self, model: TenantTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TenantList")
        self.setAccessibleName("Tenants")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        # Shortened text loses its middle: the start and end are what people compare.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        model.modelReset.connect(self.fit_columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    @Slot()
    def fit_columns(self) -> None:
        """Share the width: the tenant ID whole while the domain has room.

        A long domain is shortened first (it is whole in its tooltip), down to a readable
        start and end; only below that do both give way, each keeping its share.
        """
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        least_domain = metrics.horizontalAdvance("x" * 16)
        cloud = max(self.sizeHintForColumn(2), header.sectionSizeHint(2))
        room = self.viewport().width() - cloud
        domain = max(self.sizeHintForColumn(0), header.sectionSizeHint(0))
        tenant_id = max(self.sizeHintForColumn(1), metrics.horizontalAdvance("0" * 36) + 12)
        if domain + tenant_id <= room or room - tenant_id >= least_domain:
            domain = room - tenant_id
        else:
            domain = max(room * domain // (domain + tenant_id), 0)
            tenant_id = max(room - domain, 0)
        header.resizeSection(0, domain)
        header.resizeSection(1, tenant_id)
        header.resizeSection(2, cloud)
