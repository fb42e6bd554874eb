"""The inventory's hooks into the certificate vault: removing a deleted profile's certificate,
and collecting the certificates a killed run stored for a profile it never saved."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths

if TYPE_CHECKING:  # the vault (and cryptography) loads when a certificate is first removed
    from desktop.core.inventory import Inventory
    from desktop.core.secrets import SecretStore

log = logging.getLogger(__name__)


class VaultSecretRemover:
    """Removes profiles' certificates (key in the keyring, encrypted file) from the vault.

    Callable as :data:`~desktop.core.inventory.rules.RemoveSecret`. ``check_available`` asks
    the keyring first, so a locked or missing keyring refuses the delete before anything goes.
    *certificates* is the vault, or a function that returns it (called on first use, so
    start-up does not load the cryptography stack).
    """

    def __init__(self, certificates: SecretStore | Callable[[], SecretStore]) -> None:
        self._certificates = certificates

    @property
    def certificates(self) -> SecretStore:
        store = self._certificates
        return store() if callable(store) else store

    def check_available(self) -> None:
        self.certificates.check_available("delete the app profiles' certificates")

    def __call__(self, certificate_ref: str) -> None:
        self.certificates.delete(certificate_ref)


def collect_interrupted(
    paths: DataPaths,
    certificates: Callable[[], SecretStore],
    inventory: Callable[[], Inventory],
) -> list[str]:
    """Remove the vault's certificates that an earlier, interrupted run stored for a profile
    it never saved (killed between storing and saving); returns their refs.

    Costs one directory listing when nothing is pending (the usual case): the vault and the
    inventory are built only when something is. A failure is logged, never raised: the
    pending certificates stay for the next run.
    """
    if not paths.pending_certificates():
        return []
    try:
        return certificates().collect_interrupted(lambda: inventory().profiles.certificate_refs())
    except UserError as exc:
        log.warning("could not collect interrupted certificates: %s", exc.one_line())
        return []
