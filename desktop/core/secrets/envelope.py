"""Envelope encryption for team secrets: a data key per secret, wrapped for each member.

Each secret (a profile's certificate, a consenting user's token cache) is encrypted with
AES-256-GCM under its own random data key. The data key is then *wrapped* for each member
allowed to read it: an ephemeral X25519 key agrees a secret with the member's public key,
HKDF-SHA256 turns it into a key-encryption key, and AES-GCM encrypts the data key with it.
The server stores only ciphertexts and wrapped keys; only a member's private key (in their
OS keyring) opens their wrapped key.

Associated data binds every ciphertext to its secret id, and every wrapped key to its secret
id, its member and the member's public key, so rows cannot be swapped: a wrapped key copied
to another member's row, or a ciphertext copied to another secret's row, does not open.

Anything damaged (truncated, a flipped bit, the wrong key) raises :class:`EnvelopeError`,
one line saying what happened and what to do; never a traceback.

Formats (all bytes)::

    ciphertext  = b"APMS1" || nonce(12) || AES-GCM(data key, plaintext, aad=secret)
    wrapped key = b"APMW1" || ephemeral public(32) || nonce(12) || AES-GCM(kek, data key, aad)
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.core.errors import UserError

__all__ = [
    "DATA_KEY_BYTES",
    "KEY_BYTES",
    "EnvelopeError",
    "fingerprint",
    "new_private_key",
    "open_secret",
    "public_key_of",
    "reseal",
    "seal",
    "unwrap",
    "wrap",
]

KEY_BYTES = 32
DATA_KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SECRET_MAGIC = b"APMS1"
WRAP_MAGIC = b"APMW1"
_WRAP_INFO = b"app-profiles team secret wrap v1"
_FINGERPRINT_CONTEXT = b"app-profiles team member key v1\0"


class EnvelopeError(UserError):
    """A ciphertext or wrapped key that does not open: damaged, or not for this key."""


def _field(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(2, "big") + data  # length-prefixed: "ab"+"c" is not "a"+"bc"


def _secret_aad(secret_id: str) -> bytes:
    return SECRET_MAGIC + _field(secret_id)


def _wrap_aad(secret_id: str, member: str, recipient: bytes) -> bytes:
    return WRAP_MAGIC + _field(secret_id) + _field(member) + recipient


def _check_key(key: bytes, what: str) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise EnvelopeError(f"{what} is not a {KEY_BYTES}-byte X25519 key.")


def new_private_key() -> bytes:
    """A fresh X25519 private key (raw 32 bytes)."""
    return secrets.token_bytes(KEY_BYTES)


def public_key_of(private_key: bytes) -> bytes:
    """The raw 32-byte X25519 public key of *private_key*."""
    _check_key(private_key, "The private key")
    return X25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()


def fingerprint(public_key: bytes) -> str:
    """A short, speakable fingerprint of *public_key*: eight groups of four hex digits
    (128 bits of SHA-256), to compare by voice or chat before trusting the key."""
    _check_key(public_key, "The public key")
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def seal(secret_id: str, plaintext: bytes) -> tuple[bytes, bytes]:
    """Encrypt *plaintext* under a fresh data key; return ``(data_key, ciphertext)``.

    The data key is for :func:`wrap` only: it must never be stored as it is."""
    data_key = AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)
    return data_key, reseal(secret_id, data_key, plaintext)


def reseal(secret_id: str, data_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt *plaintext* (a new version of the secret) under its existing *data_key*, with
    a fresh nonce, so every member's wrapped key still opens it (a rotated refresh token)."""
    if len(data_key) != DATA_KEY_BYTES:
        raise EnvelopeError("The data key is not 32 bytes.")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext, _secret_aad(secret_id))
    return SECRET_MAGIC + nonce + sealed


def open_secret(secret_id: str, data_key: bytes, ciphertext: bytes) -> bytes:
    """The plaintext of *ciphertext* (sealed for *secret_id*). Raises :class:`EnvelopeError`."""
    head = len(SECRET_MAGIC) + NONCE_BYTES
    if (
        len(data_key) != DATA_KEY_BYTES
        or not ciphertext.startswith(SECRET_MAGIC)
        or len(ciphertext) < head + TAG_BYTES
    ):
        raise _damaged("secret", secret_id)
    try:
        return AESGCM(data_key).decrypt(
            ciphertext[len(SECRET_MAGIC) : head], ciphertext[head:], _secret_aad(secret_id)
        )
    except InvalidTag:
        raise _damaged("secret", secret_id) from None


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_WRAP_INFO
    ).derive(shared)


def wrap(secret_id: str, member: str, data_key: bytes, recipient_public: bytes) -> bytes:
    """*data_key* wrapped for *member*'s X25519 public key, bound to (secret, member)."""
    _check_key(recipient_public, f"The published key of {member}")
    if len(data_key) != DATA_KEY_BYTES:
        raise EnvelopeError("The data key is not 32 bytes.")
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    except ValueError:  # a low-order point: not a real member key
        raise EnvelopeError(f"The published key of {member} is not a usable X25519 key.") from None
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_kek(shared, ephemeral_public, recipient_public)).encrypt(
        nonce, data_key, _wrap_aad(secret_id, member, recipient_public)
    )
    return WRAP_MAGIC + ephemeral_public + nonce + sealed


def unwrap(secret_id: str, member: str, wrapped: bytes, private_key: bytes) -> bytes:
    """The data key in *wrapped*, opened with *member*'s private key.

    Raises :class:`EnvelopeError` when *wrapped* is damaged, was wrapped for another member
    or secret, or for another key pair (after a re-enrollment)."""
    _check_key(private_key, "Your private key")
    head = len(WRAP_MAGIC) + KEY_BYTES + NONCE_BYTES
    if not wrapped.startswith(WRAP_MAGIC) or len(wrapped) != head + DATA_KEY_BYTES + TAG_BYTES:
        raise _damaged("wrapped key", secret_id)
    ephemeral_public = wrapped[len(WRAP_MAGIC) : len(WRAP_MAGIC) + KEY_BYTES]
    nonce = wrapped[len(WRAP_MAGIC) + KEY_BYTES : head]
    own = X25519PrivateKey.from_private_bytes(private_key)
    recipient = own.public_key().public_bytes_raw()
    try:
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        return AESGCM(_kek(shared, ephemeral_public, recipient)).decrypt(
            nonce, wrapped[head:], _wrap_aad(secret_id, member, recipient)
        )
    except (InvalidTag, ValueError):  # ValueError: a flipped bit made a low-order point
        raise _damaged("wrapped key", secret_id) from None


def _damaged(what: str, secret_id: str) -> EnvelopeError:
    if what == "secret":
        return EnvelopeError(
            f"The encrypted secret {secret_id} is damaged or does not match its key.",
            remedy="Ask a colleague who can read it to share it again (team approve), "
            "or store the secret again.",
        )
    return EnvelopeError(
        f"The key shared with you for secret {secret_id} does not open with your key.",
        remedy="It is damaged or was shared for another key: ask a colleague to share it "
        "again (team approve).",
    )
