"""A real ``pg_dump`` of a test database, and what of a set of secrets it holds in any encoding
(raw, hex, base64), for tests that the server holds ciphertext only."""

from __future__ import annotations

import base64
import os
import subprocess

from tests.helpers.postgres import PG_BIN, TestDatabase


def dump(db: TestDatabase) -> bytes:
    """The plain-SQL dump of *db* (as the superuser: every row, whatever its policies)."""
    return subprocess.run(
        [str(PG_BIN / "pg_dump"), "--no-owner", db.superuser_url],
        capture_output=True,
        check=True,
        timeout=120,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    ).stdout


def encodings(secret: bytes) -> list[bytes]:
    """*secret* as it could be stored: raw, hex (both cases), base64 (both alphabets, with and
    without padding), and each of those in a ``bytea`` column (which pg_dump writes as hex);
    only forms long enough not to match by chance."""
    texts = [secret, secret.hex().encode(), secret.hex().upper().encode()]
    for encoded in (base64.b64encode(secret), base64.urlsafe_b64encode(secret)):
        texts += [encoded, encoded.rstrip(b"=")]
    texts += [t.hex().encode() for t in list(texts)]
    return [t for t in texts if len(t) >= 16]


def leaked(data: bytes, secrets: dict[str, bytes]) -> list[str]:
    """The names of the *secrets* found in *data* in some encoding, whole or a 24-byte
    fragment (names only: a failing test must not print the secret itself)."""
    found = []
    for name, secret in secrets.items():
        needles = encodings(secret) + encodings(secret[:24]) + encodings(secret[-24:])
        if any(needle in data for needle in needles):
            found.append(name)
    return found
