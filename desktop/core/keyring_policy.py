"""Which keyring backends may hold the vault's keys.

Only a real OS keyring qualifies (Windows Credential Manager, macOS Keychain, the Secret
Service, KWallet). Refused: keyring's null and fail backends, anything that keeps secrets in
plaintext, anything keyring itself does not recommend, and the test suite's own backends.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

#: Keyring backends that would keep our keys in plaintext (or not at all): refused.
_UNSAFE_BACKENDS = {
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.pyfs.PlaintextKeyring",
}
#: keyring's own threshold for a "recommended" backend (``keyring.core.recommended``): below
#: it sit the null, fail and file-based backends of keyrings.alt.
_MIN_PRIORITY = 1
#: Set only by the test suite, so that its file-backed test keyring (under ``tests.``) may be
#: chosen through ``PYTHON_KEYRING_BACKEND`` for CLI subprocesses.
ALLOW_TEST_KEYRING_ENV = "APP_PROFILES_ALLOW_TEST_KEYRING"


class RefusedBackendError(Exception):
    """The resolved keyring backend is not a real OS keyring; the vault will not use it."""


def _class_path(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def unchained(backend: KeyringBackend) -> KeyringBackend:
    """keyring's ChainerBackend reads from every backend it chains, plaintext ones included;
    use its first (highest-priority) backend alone, which is where it writes anyway."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        return chained[0] if chained else backend
    return backend


def refusal_reason(backend: KeyringBackend) -> str | None:
    """Why *backend* must not hold the vault's keys, or None when it is a real OS keyring.

    Refused: the null and fail backends, anything that calls itself plaintext, anything
    keyring itself does not recommend (priority under 1), and the test suite's own backends
    (modules under ``tests.``) unless the test suite allowed them.
    """
    path = _class_path(backend)
    if path in _UNSAFE_BACKENDS or "plaintext" in path.lower():
        return f"{path} keeps secrets unprotected or not at all"
    if path.split(".", 1)[0] == "tests" and os.environ.get(ALLOW_TEST_KEYRING_ENV) != "1":
        return f"{path} is a keyring for tests only"
    try:
        priority = float(backend.priority)
    except Exception as exc:  # a backend whose platform support is missing
        return f"{path} is not usable here ({type(exc).__name__}: {exc})"
    if priority < _MIN_PRIORITY:
        return f"{path} is not a recommended keyring (priority {priority:g})"
    return None
