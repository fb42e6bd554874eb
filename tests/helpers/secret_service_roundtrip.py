"""Run inside a D-Bus session with gnome-keyring: vault steps against the real Secret Service.

``python -m tests.helpers.secret_service_roundtrip store PFX PASSWORD`` prints the ref;
``... load REF`` prints the SHA-1 thumbprint; ``... delete REF``; ``... locked PFX PASSWORD``
expects a refusal; ``cache-*`` steps work on a given data folder's token cache. Each step is
its own process, so the key really lives in the daemon.
"""

from __future__ import annotations

import sys
from pathlib import Path

import keyring

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths, data_paths
from desktop.core.token_cache import CACHE_NAME, EncryptedTokenCacheStore
from desktop.core.vault import CertificateVault, SecretVault


def main(argv: list[str]) -> int:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "SecretService" not in name:
        print(f"not the Secret Service backend: {name}", file=sys.stderr)
        return 3
    certs = CertificateVault(SecretVault(data_paths().ensure().vault))
    step, arg = argv[0], argv[1]
    if step in {"store", "locked"}:
        try:
            ref, _ = certs.import_pfx(Path(arg).read_bytes(), argv[2])
        except UserError as exc:
            print(exc.one_line())
            return 4
        print(ref)
    elif step == "load":
        print(certs.info(arg).thumbprint_sha1)
    elif step == "delete":
        certs.delete(arg)
        left = backend.get_password("app-profile-manager", certs.vault.account(arg))
        print("deleted" if left is None else "still there")
    elif step.startswith("cache-"):
        _cache_step(step, Path(arg), argv[2:])
    return 0


def _cache_step(step: str, home: Path, args: list[str]) -> None:
    """The token cache of the data folder *home*: ``cache-save HOME TOKEN`` signs in (a refresh
    token named TOKEN), ``cache-legacy HOME TOKEN`` does so the way earlier versions named the
    keyring entry, ``cache-load HOME`` prints the refresh tokens, ``cache-clear HOME`` signs out,
    ``cache-entries HOME`` names the entries held.
    """
    from desktop.core.vault import open_vault
    from tests.helpers.tokens import add_refresh_token, refresh_tokens

    vault = open_vault(DataPaths(home).ensure())
    store = EncryptedTokenCacheStore(vault)
    if step in {"cache-save", "cache-legacy"}:
        cache = store.load()
        add_refresh_token(cache, args[0])
        store.save(cache)
        if step == "cache-legacy":  # move the key to the old, shared name
            backend = keyring.get_keyring()
            key = backend.get_password(vault.service, vault.account(CACHE_NAME))
            assert key is not None
            backend.set_password(vault.service, vault.legacy_account(CACHE_NAME), key)
            backend.delete_password(vault.service, vault.account(CACHE_NAME))
    elif step == "cache-load":
        print(" ".join(sorted(refresh_tokens(store.load()))) or "-")
    elif step == "cache-clear":
        store.clear()
    elif step == "cache-entries":  # which of the two names the daemon holds
        backend = keyring.get_keyring()
        names = {"own": vault.account(CACHE_NAME), "old": vault.legacy_account(CACHE_NAME)}
        held = [k for k, v in names.items() if backend.get_password(vault.service, v)]
        print("+".join(held) or "-")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
