"""Reads the profile list's certificate expiry hints off the GUI thread, once per load.

Only when the list holds a custom-mode profile are the inventory and the secret store asked;
each certificate is opened once ever (then its public dates are read from the data folder),
so neither the keyring nor the team store is touched while the list paints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import SetupMode
from desktop.core.inventory import Inventory
from desktop.core.secrets import SecretStore
from desktop.core.secrets.expiry import ListHint, list_hints
from desktop.core.storage.types import ProfileRow


class CertificateBadgeController(QObject):
    """Loads the list's hints for custom-mode profiles whose certificate expired or expires
    within 30 days (:func:`~desktop.core.secrets.expiry.list_hints`).

    Signals:
        loaded(dict[int, ListHint]): the hints by profile id (unreadable ones left out).
        failed(UserError): the inventory could not be read (the list shows no hints).
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        inventory: Callable[[], Inventory],
        certificates: Callable[[], SecretStore],
        data_root: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._inventory = inventory
        self._certificates = certificates
        self._root = data_root

    def load(self, rows: Sequence[ProfileRow] | None = None) -> None:
        """Read the hints in the background; with *rows* (the list just loaded), nothing is
        read when none of them is a custom-mode profile."""
        from desktop.core.secrets.expiry_dates import DatesFile, list_expiries

        custom = SetupMode.CUSTOM.value

        def work(_token: CancelToken, _progress: Progress) -> dict[int, ListHint]:
            if rows is not None and not any(r.mode == custom for r in rows):
                return {}
            holders = self._inventory().profiles.certificate_holders()
            # The store is opened only for a certificate whose dates are not known yet.
            found = list_expiries(holders, self._certificates, DatesFile(self._root))
            return list_hints(found)

        task = self._runner.submit("Read certificate expiry for the list", work)
        task.relay(self.loaded, self.failed)
