"""The vault's errors, importable without loading the vault's cryptography (the checks and
the front ends tell them apart)."""

from __future__ import annotations

from desktop.core.errors import UserError
from desktop.core.keyring_policy import RefusedBackendError


class VaultUnavailableError(UserError):
    """The OS keyring cannot be used; nothing was stored or changed."""


class VaultDamagedError(UserError):
    """A stored secret cannot be read back (its key or blob is missing or damaged)."""


class VaultMissingError(VaultDamagedError):
    """A stored secret is not in this computer's vault (its key or its file is missing)."""


def unavailable(action: str, exc: BaseException | None = None) -> VaultUnavailableError:
    """The error for a keyring that cannot be used to *action*, in words for its cause."""
    from keyring import errors  # lazy: keyring's import resolves platform modules

    kind = type(exc).__name__ if exc is not None else ""
    text = str(exc) if exc is not None else ""
    # Only a refused store can promise that; a refused delete or read stored nothing new, but
    # the flow around it may have (a certificate stored before a token cache save failed).
    nothing = " Nothing was stored." if action.startswith("store") else ""
    if isinstance(exc, errors.NoKeyringError | RefusedBackendError) or exc is None:
        return VaultUnavailableError(
            f"Cannot {action}: no secure password store (OS keyring) is available.",
            remedy="On Windows and macOS the system keyring is built in; on Linux install and "
            "unlock GNOME Keyring or KWallet, then try again. Secrets are never stored "
            "unencrypted.",
            detail=f"{kind}: {text}".strip(": "),
        )
    if isinstance(exc, errors.KeyringLocked) or "dismissed" in text.lower():
        return VaultUnavailableError(
            f"Cannot {action}: the OS keyring is locked.",
            remedy="Unlock your keyring (log in again or open your keyring manager) and try "
            f"again.{nothing}",
            detail=f"{kind}: {text}",
        )
    return VaultUnavailableError(
        f"Cannot {action}: the OS keyring refused access ({text or kind}).",
        remedy=f"Allow this app to use the keyring (or unlock it) and try again.{nothing}",
        detail=f"{kind}: {text}",
    )
