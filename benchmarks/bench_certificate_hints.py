"""Benchmark the profile list's certificate expiry hints at 100,000 profiles.

Prints, measured in the same run:

- the time to ask the model for every row's Reason cell (text, colour, tooltip: what painting
  and tooltips ask) with no hints, and with hints on 10,000 custom-mode rows, and their ratio
  (target: at most 1.2; painting never asks a secret store);
- the time to read 10,000 certificates' expiry from the dates file alone (every later load),
  the store never asked.

Run from the repository root:
``QT_QPA_PLATFORM=offscreen python benchmarks/bench_certificate_hints.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.catalog.loader import load_catalog  # noqa: E402
from desktop.core.inventory.listing import ProfileList  # noqa: E402
from desktop.core.secrets.expiry import list_hints  # noqa: E402
from desktop.core.secrets.expiry_dates import CertificateDates, DatesFile, list_expiries  # noqa: E402
from desktop.core.storage.types import ProfileRow  # noqa: E402

from desktop.ui.profiles.model import REASON_COLUMN, ProfileTableModel  # noqa: E402

ROWS = 100_000
CUSTOM = 10_000
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole)


class RefusingStore:
    """A secret store that must never be asked (every date is in the file)."""

    def info(self, ref: str) -> object:
        raise AssertionError(f"the store was asked for {ref}")


def _row(n: int, service_ids: tuple[str, ...], app_type_id: str) -> ProfileRow:
    return ProfileRow(
        n,
        f"Profile {n:06d}",
        f"Customer {n % 3000}",
        f"tid-{n % 3000}",
        f"c{n % 3000}.com",
        service_ids,
        app_type_id,
        "custom" if n < CUSTOM else "modern",
        "Valid",
        "" if n % 2 else "All required permissions are granted.",
        "2026-01-01T00:00:00Z",
    )


def _rows() -> list[ProfileRow]:
    app = load_catalog().catalog.app_types[0]
    return [_row(n, app.service_ids[:1], app.id) for n in range(ROWS)]


def _ask_all(model: ProfileTableModel) -> float:
    start = time.perf_counter()
    for row in range(model.rowCount()):
        index = model.index(row, REASON_COLUMN)
        for role in ROLES:
            model.data(index, role)
    return time.perf_counter() - start


def main() -> None:
    QApplication.instance() or QApplication([])
    rows = _rows()
    model = ProfileTableModel()
    model.set_list(ProfileList(rows, load_catalog().catalog))
    with tempfile.TemporaryDirectory() as tmp:
        now = datetime.now(UTC)
        dates = DatesFile(Path(tmp))
        dates.write(
            {
                f"cert-{n:032x}": CertificateDates(
                    now - timedelta(days=300), now + timedelta(days=n % 60 - 5), f"{n:040x}"
                )
                for n in range(CUSTOM)
            }
        )
        holders = [(r, f"cert-{r.id:032x}") for r in rows[:CUSTOM]]
        start = time.perf_counter()
        hints = list_hints(list_expiries(holders, RefusingStore(), dates))  # type: ignore[arg-type]
        read = time.perf_counter() - start
    plain = statistics.median(_ask_all(model) for _ in range(3))
    model.set_certificate_hints(hints)
    hinted = statistics.median(_ask_all(model) for _ in range(3))
    print(f"rows: {ROWS:,}, custom-mode rows: {CUSTOM:,}, hints shown: {len(hints):,}")
    print(f"Reason cells, no hints:   {plain * 1000:8.1f} ms")
    print(f"Reason cells, with hints: {hinted * 1000:8.1f} ms  (ratio {hinted / plain:.2f})")
    print(f"expiry of {CUSTOM:,} certificates from the dates file: {read * 1000:.1f} ms")


if __name__ == "__main__":
    main()
