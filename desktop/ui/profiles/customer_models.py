"""Item models of the customer dialog: customers with counts, and one customer's tenants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.core.domain import Customer, Tenant

from desktop.ui.table_base import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex


class _Table(HeaderedTableModel):
    """A customer-dialog table: each row has cell texts and a key (``UserRole``)."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._count()):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self._key(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        return None

    def _text(self, row: int, column: int) -> Any:
        raise NotImplementedError

    def _key(self, row: int) -> Any:
        raise NotImplementedError


class CustomerTableModel(_Table):
    """Customers with their tenant and profile counts; ``UserRole`` is the customer's name."""

    HEADERS = ("Customer", "Tenants", "Profiles")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._customers: list[Customer] = []
        self._counts: dict[int, tuple[int, int]] = {}

    def set_customers(
        self, customers: Sequence[Customer], counts: dict[int, tuple[int, int]]
    ) -> None:
        self.beginResetModel()
        self._customers = list(customers)
        self._counts = dict(counts)
        self.endResetModel()

    def customer(self, row: int) -> Customer:
        return self._customers[row]

    def row_of(self, name: str) -> int:
        for row, customer in enumerate(self._customers):
            if customer.name.casefold() == name.casefold():
                return row
        return -1

    def _count(self) -> int:
        return len(self._customers)

    def _text(self, row: int, column: int) -> Any:
        customer = self._customers[row]
        if column == 0:
            return customer.name
        tenants, profiles = self._counts.get(customer.id or -1, (0, 0))
        return tenants if column == 1 else profiles

    def _key(self, row: int) -> Any:
        return self._customers[row].name


class TenantTableModel(_Table):
    """One customer's tenants; ``UserRole`` is the tenant ID."""

    HEADERS = ("Primary domain", "Tenant ID", "Cloud")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tenants: list[Tenant] = []

    def set_tenants(self, tenants: Sequence[Tenant]) -> None:
        self.beginResetModel()
        self._tenants = list(tenants)
        self.endResetModel()

    def tenant(self, row: int) -> Tenant:
        return self._tenants[row]

    def _count(self) -> int:
        return len(self._tenants)

    def _text(self, row: int, column: int) -> Any:
        tenant = self._tenants[row]
        return (tenant.primary_domain or "—", tenant.tenant_id, tenant.cloud.label)[column]

    def _key(self, row: int) -> Any:
        return self._tenants[row].tenant_id
