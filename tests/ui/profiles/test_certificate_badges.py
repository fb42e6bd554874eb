"""The profile list's certificate expiry hints in the Reason cell: red when expired, amber
within 30 days, the row's own reason kept after the hint, and nothing on other rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt

from desktop.core.inventory.listing import ProfileList
from desktop.core.secrets.expiry import CertificateExpiry, ExpiryState, list_hints
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.profiles.certificate_badges import AMBER, RED
from desktop.ui.profiles.model import REASON_COLUMN, ProfileTableModel


def _expiry(profile_id: int, days: int) -> CertificateExpiry:
    state = ExpiryState.EXPIRED if days < 0 else ExpiryState.EXPIRES_SOON
    return CertificateExpiry(
        profile_id, "p", "c", "t", state, datetime.now(UTC) + timedelta(days=days), days,
        thumbprint_sha1="ab" * 20,
    )  # fmt: skip


def test_expired_is_red_soon_is_amber_and_the_reason_stays(
    qapp: object, qtmodeltester: ModelTester, data_home: Path
) -> None:
    inv = small_inventory(data_home)
    model = ProfileTableModel()
    model.set_list(ProfileList(inv.profiles.rows(), shipped_catalog()))
    qtmodeltester.check(model, force_py=True)
    rows = [model.row_at(r) for r in range(model.rowCount())]
    expired, soon, plain = rows[0], rows[1], rows[2]
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b: changed.append((a.column(), b.column())))
    model.set_certificate_hints(
        list_hints({expired.id: _expiry(expired.id, -3), soon.id: _expiry(soon.id, 1),
                    plain.id: CertificateExpiry(plain.id, "p", "c", "t", ExpiryState.OK)})
    )  # fmt: skip
    assert changed == [(REASON_COLUMN, REASON_COLUMN)]  # only the Reason column repaints

    def cell(row: int, role: Qt.ItemDataRole) -> object:
        return model.data(model.index(row, REASON_COLUMN), role)

    display = Qt.ItemDataRole.DisplayRole
    first = cell(0, display)
    assert isinstance(first, str) and first.startswith("Certificate expired")
    if expired.reason:
        assert first == f"Certificate expired. {expired.reason}"
    assert cell(0, Qt.ItemDataRole.ForegroundRole).color() == RED  # type: ignore[attr-defined]
    assert "ab" * 20 in str(cell(0, Qt.ItemDataRole.ToolTipRole))
    assert str(cell(1, display)).startswith("Certificate expires in 1 day")
    assert "days" not in str(cell(1, display)).split(".")[0]  # "1 day", not "1 days"
    assert cell(1, Qt.ItemDataRole.ForegroundRole).color() == AMBER  # type: ignore[attr-defined]
    assert cell(2, display) == plain.reason  # OK: no hint
    assert cell(2, Qt.ItemDataRole.ForegroundRole) is None
    model.set_certificate_hints({})
    assert cell(0, display) == expired.reason
