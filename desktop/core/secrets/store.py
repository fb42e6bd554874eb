"""The secret-store interface: everything checks, consent and re-authorize ask of secrets.

A store keeps two kinds of secret for app profiles:

- a custom-mode profile's certificate and private key, named by the ``certificate_ref`` the
  profile holds (``cert-<32 hex>``);
- the MSAL token cache holding consenting users' refresh tokens (delegated profiles' checks
  redeem them).

Every method may raise :class:`~desktop.core.errors.UserError` (a locked keyring, a missing
or damaged secret, a secret not shared with this technician yet), never anything else for
bad state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.certificates import CertificateInfo, PfxContents
    from desktop.core.identity.signin import TokenCacheStore

#: What a member without a wrapped key for a certificate is told: a wait, never Invalid.
WAITING = "waiting for a colleague to share this customer's certificates with you (team approve)"

#: Runs with a new ``certificate_ref`` once it is stored (e.g. saving the profile with it).
Commit = Callable[[str], None]


class NotSharedYetError(UserError):
    """This member holds no share of the secret yet (team store): not a fault in the tenant,
    so a check reports it as a wait, never as Invalid."""

    def __init__(self, message: str = WAITING, *, remedy: str = "", detail: str = "") -> None:
        super().__init__(
            message[0].upper() + message[1:] + ".",
            remedy=remedy
            or "Ask a colleague who holds them to run 'app-profiles-cli team approve' "
            "with your team user name.",
            detail=detail,
        )


class SecretStore(Protocol):
    """Profiles' certificates and consenting users' tokens, wherever they are kept."""

    def check_available(self, action: str = "delete the certificates") -> None:
        """Raise :class:`UserError` (saying what *action* could not do) unless the store can
        be used now, so a caller can refuse before it changes anything."""

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, CertificateInfo]:
        """Open, check and store a PFX; return ``(certificate_ref, info)``. The password is
        used to open it and never kept."""

    def store(self, contents: PfxContents) -> str:
        """Check that a profile can use *contents*, store and verify it; return its ref,
        *pending* until :meth:`settle`."""

    def load(self, ref: str) -> PfxContents:
        """The key and certificates stored under *ref* (in memory only)."""

    def info(self, ref: str) -> CertificateInfo:
        """The report on the certificate stored under *ref* (expiry warnings included)."""

    def delete(self, ref: str) -> None:
        """Remove the certificate stored under *ref*; a missing one is fine."""

    def discard(self, ref: str) -> None:
        """Remove *ref* on the way out of a failed save, never masking that failure."""

    def settle(self, ref: str) -> None:
        """*ref* is held by a saved profile now: no longer pending."""

    def replace(
        self, old_ref: str | None, contents: PfxContents, commit: Commit | None = None
    ) -> str:
        """Store *contents* as a new ref, run *commit* with it, then remove *old_ref*. If
        anything fails, the old certificate is untouched and the new one removed."""

    def collect_interrupted(
        self, referenced: Callable[[], set[str]], *, before: float | None = None
    ) -> list[str]:
        """Remove pending certificates an interrupted run stored for a profile it never
        saved (unless *referenced* holds them after all); return the refs removed."""

    def token_cache(self) -> TokenCacheStore:
        """Where the MSAL cache with consenting users' refresh tokens is kept."""
