"""Reads every custom profile's certificate expiry off the GUI thread for its dialog.

The work asks the inventory for the custom profiles and the secret store (local vault or
team store) for each certificate; the keyring is never touched on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.secrets import SecretStore
from desktop.core.secrets.expiry import CertificateExpiry, certificate_expiries


class CertificateExpiryController(QObject):
    """Loads the expiry view.

    Signals:
        loaded(list[CertificateExpiry]): soonest first.
        failed(UserError): the inventory or the secret store could not be read.
    """

    loaded = Signal(list)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        inventory: Callable[[], Inventory],
        certificates: Callable[[], SecretStore],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._inventory = inventory
        self._certificates = certificates

    def load(self) -> None:
        """Read the view in the background; :attr:`loaded` or :attr:`failed` follows."""

        def work(_token: CancelToken, _progress: Progress) -> list[CertificateExpiry]:
            holders = self._inventory().profiles.certificate_holders()
            if not holders:
                return []  # no keyring asked without a custom profile
            return certificate_expiries(holders, self._certificates())

        task = self._runner.submit("Read certificate expiry", work)
        # Bound slots, not the signals' emit: Qt drops these connections when this object
        # goes first (a window closed while the read still runs).
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    @Slot(object)
    def _loaded(self, items: object) -> None:
        self.loaded.emit(items)

    @Slot(object)
    def _failed(self, error: UserError) -> None:
        self.failed.emit(error)
