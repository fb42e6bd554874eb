"""Run inside a D-Bus session with gnome-keyring: vault steps against the real Secret Service.

``python -m tests.helpers.secret_service_roundtrip store PFX PASSWORD`` prints the ref;
``... load REF`` prints the SHA-1 thumbprint; ``... delete REF``; ``... locked PFX PASSWORD``
expects a refusal. Each step is its own process, so the key really lives in the daemon.
"""

from __future__ import annotations

import sys
from pathlib import Path

import keyring

from desktop.core.errors import UserError
from desktop.core.paths import data_paths
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
        print("deleted" if backend.get_password("app-profile-manager", f"vault:{arg}") is None
              else "still there")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
