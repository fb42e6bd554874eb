"""The vault's encrypted file format: one AES-GCM blob a secret, its key kept elsewhere.

A blob is ``MAGIC + nonce + ciphertext`` (the GCM tag at the end of the ciphertext), written
atomically with owner-only permissions. Its additional data is ``MAGIC + name``: it binds each
blob to its name, so a blob copied over another's file does not decrypt. The key itself (32
random bytes, base64 in the OS keyring) is :class:`~desktop.core.vault.SecretVault`'s business.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.core.errors import UserError

__all__ = [
    "MAGIC",
    "NAME",
    "NONCE_BYTES",
    "aad",
    "decode_key",
    "decrypt",
    "encode_key",
    "encrypt",
    "new_key",
    "new_name",
    "well_formed",
    "write_blob",
]

MAGIC = b"APMV1\0"
NONCE_BYTES = 12
#: What a secret's name may be: it is a file name and part of a keyring entry's name.
NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TAG_BYTES = 16


def new_name(prefix: str) -> str:
    """A fresh random vault name: ``cert-3f2a...``."""
    return f"{prefix}-{secrets.token_hex(16)}"


def aad(name: str) -> bytes:
    """The additional data of *name*'s blob."""
    # Binds each blob to its name: a blob copied over another's file does not decrypt.
    return MAGIC + name.encode("ascii")


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def encode_key(key: bytes) -> str:
    """*key* as the keyring stores it (base64 text)."""
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes | None:
    """The key in the keyring's *text*, or None when it is not a 256-bit key."""
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """The blob of *plaintext* under *key*, with a fresh nonce."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def well_formed(blob: bytes) -> bool:
    """Whether *blob* has the shape of a blob (magic, nonce and tag), whatever its key."""
    return blob.startswith(MAGIC) and len(blob) >= len(MAGIC) + NONCE_BYTES + _TAG_BYTES


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """The plaintext of *blob*, or None when it is damaged or *key* is not its key."""
    if not well_formed(blob):
        return None
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES :], aad)
    except InvalidTag:
        return None


def write_blob(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically (a private temporary file, fsync, rename)."""
    tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"Cannot write to the data folder: {exc.strerror or exc}.",
            remedy="Check free space and the permissions of the data folder.",
        ) from exc
