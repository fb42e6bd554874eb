"""This technician's team key pair: X25519, the private half in this data folder's vault.

``team enroll`` creates it once. The private key is kept like every other secret of the data
folder (:class:`~desktop.core.vault.SecretVault`: a random key in the OS keyring, the private
key AES-GCM-encrypted on disk), never in plaintext. The public key is what colleagues wrap
data keys for; its :func:`~desktop.core.secrets.envelope.fingerprint` is compared by voice or
chat before anyone shares a customer's certificates with it.

Enrolling again keeps the existing pair: a new one would orphan every key already shared.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from desktop.core.errors import UserError
from desktop.core.secrets.envelope import (
    KEY_BYTES,
    fingerprint,
    new_private_key,
    public_key_of,
)
from desktop.core.vault import SecretVault
from desktop.core.vault_errors import VaultMissingError

#: The vault name of the private key.
MEMBER_KEY_NAME = "team-member-key"
#: How a public key is written as text (settings, chat, the database's display column).
PUBLIC_PREFIX = "apm-x25519:"


class NotEnrolledError(UserError):
    """This data folder has no team key pair yet."""


@dataclass(frozen=True)
class Enrollment:
    """The public half of this technician's pair, and whether this call created it."""

    public_key: bytes
    created: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def public_text(self) -> str:
        return public_text(self.public_key)


def public_text(public_key: bytes) -> str:
    """``apm-x25519:<base64>``: a public key as text."""
    return PUBLIC_PREFIX + base64.b64encode(public_key).decode("ascii")


def parse_public_text(text: str) -> bytes:
    """The raw key in :func:`public_text`'s form. Raises :class:`UserError` in words."""
    body = text.strip().removeprefix(PUBLIC_PREFIX)
    try:
        key = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not text.strip().startswith(PUBLIC_PREFIX) or len(key) != KEY_BYTES:
        raise UserError(
            "That is not a team member's public key.",
            remedy=f"Copy it as 'team enroll' shows it, starting with {PUBLIC_PREFIX}",
        )
    return key


class MemberKeys:
    """The team key pair of one data folder, kept in its vault."""

    def __init__(self, vault: SecretVault) -> None:
        self.vault = vault

    def enroll(self) -> Enrollment:
        """This folder's pair: the existing one, or a new one stored (and verified) now."""
        if self.vault.exists(MEMBER_KEY_NAME):
            return Enrollment(public_key_of(self.private_key()), created=False)
        private = new_private_key()
        self.vault.put(MEMBER_KEY_NAME, private, what="your team key")
        return Enrollment(public_key_of(private), created=True)

    def enrolled(self) -> bool:
        """Whether a pair exists (the keyring is not asked)."""
        return self.vault.exists(MEMBER_KEY_NAME)

    def private_key(self) -> bytes:
        """The private key (in memory only). Raises :class:`NotEnrolledError` without one."""
        if not self.vault.exists(MEMBER_KEY_NAME):
            raise _not_enrolled()
        try:
            key = self.vault.get(MEMBER_KEY_NAME)
        except VaultMissingError as exc:  # the keyring entry is gone (another computer)
            raise NotEnrolledError(
                "Your team key is missing from this computer's keyring.",
                remedy="Run 'team enroll --replace' and ask a colleague to share the "
                "customers' certificates with your new key (team approve).",
            ) from exc
        if len(key) != KEY_BYTES:
            raise UserError(
                "Your team key in the vault is damaged.",
                remedy="Run 'team enroll --replace' and ask a colleague to share again.",
            )
        return key

    def public_key(self) -> bytes:
        return public_key_of(self.private_key())

    def replace(self) -> Enrollment:
        """A new pair in place of the old (keys shared with the old one no longer open)."""
        private = new_private_key()
        self.vault.put(MEMBER_KEY_NAME, private, what="your team key")
        return Enrollment(public_key_of(private), created=True)


def _not_enrolled() -> NotEnrolledError:
    return NotEnrolledError(
        "This computer has no team key yet.",
        remedy="Run 'app-profiles-cli team enroll' and give your colleague its fingerprint.",
    )
