"""Print certificate and vault figures: key generation time, sizes in the keyring and on disk.

Run: ``python benchmarks/certificates.py``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The in-memory keyring below comes from the test suite, which the vault refuses unless told.
os.environ["APP_PROFILES_ALLOW_TEST_KEYRING"] = "1"

from desktop.core.certificates import (
    KEY_SIZES,
    CertificateRequest,
    PfxEncryption,
    create_self_signed,
    export_pfx,
)
from desktop.core.vault import CertificateVault, SecretVault
from tests.helpers.keyrings import MemoryKeyring


def main() -> None:
    for bits in KEY_SIZES:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            contents = create_self_signed(CertificateRequest("Bench", key_size=bits))
            runs.append(time.perf_counter() - start)
        print(f"create RSA {bits}: median {sorted(runs)[1] * 1000:.0f} ms over 3 runs")
        for enc in PfxEncryption:
            print(f"  .pfx {enc.value}: {len(export_pfx(contents, 'pw', enc))} bytes")
        backend = MemoryKeyring()
        with tempfile.TemporaryDirectory() as folder:
            vault = CertificateVault(SecretVault(Path(folder), backend))
            start = time.perf_counter()
            ref = vault.store(contents)
            stored = time.perf_counter() - start
            start = time.perf_counter()
            vault.load(ref)
            loaded = time.perf_counter() - start
            blob = (Path(folder) / f"{ref}.bin").stat().st_size
        secret = max(len(v) for v in backend.entries.values())
        print(
            f"  vault: keyring secret {secret} chars, blob {blob} bytes, "
            f"store+verify {stored * 1000:.0f} ms, load {loaded * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
