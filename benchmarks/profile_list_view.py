"""The profile list as the benchmarks show a check on it: the list's own model and table, with
each batch of results applied to the rows as "Check all" applies them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QTableView

from desktop.controllers.checks import ChecksController
from desktop.core.catalog.model import Catalog
from desktop.core.checks.result import CheckResult
from desktop.core.domain import AppProfile
from desktop.core.inventory.listing import ProfileList
from desktop.core.store import ProfileRow

from desktop.ui.checks_wiring import row_updates
from desktop.ui.profiles.model import ProfileTableModel


class ProfileListView:
    """A table of *profiles* over the profile list's model, following *controller*'s results.

    ``results`` counts the results that arrived (failed checks too); ``applied`` the rows they
    changed.
    """

    def __init__(
        self, profiles: Sequence[AppProfile], catalog: Catalog, controller: ChecksController
    ) -> None:
        rows = [
            ProfileRow(
                p.id or 0,
                p.name,
                "Contoso",
                p.tenant_id,
                "",
                p.service_ids,
                p.app_type_id,
                p.mode.value,
                p.status.value,
                p.reason,
                None,
            )
            for p in profiles
        ]
        self.model = ProfileTableModel()
        self.model.set_list(ProfileList(rows, catalog))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.results = 0
        self.applied = 0
        controller.results_ready.connect(self._on_results)

    def _on_results(self, results: list[CheckResult]) -> None:
        self.results += len(results)
        self.applied += self.model.apply_checks(row_updates(results))

    def show(self, width: int = 1200, height: int = 600) -> None:
        """Show the list and let it paint once: the first paint is start-up, not the check."""
        self.view.resize(width, height)
        self.view.show()
        self.view.repaint()
        QApplication.processEvents()

    def close(self) -> None:
        self.view.close()
