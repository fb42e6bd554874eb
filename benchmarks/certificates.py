"""Print certificate and vault figures: key generation time, sizes in the keyring and on disk.

Each time is also printed as a ratio against a baseline measured in the same run: creating a
certificate against generating its RSA key alone (the floor no code can beat), and the vault's
store/load against parsing the same private key from PEM (what any key store must do).

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

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.core.certificates import (
    KEY_SIZES,
    CertificateRequest,
    PfxEncryption,
    create_self_signed,
    export_pfx,
)
from desktop.core.vault import CertificateVault, SecretVault
from tests.helpers.keyrings import MemoryKeyring


def _median(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> None:
    # RSA key generation searches for primes at random, so medians need several runs.
    runs = {2048: 9, 3072: 7, 4096: 5}
    for bits in KEY_SIZES:
        made: list[object] = []
        create = _median(
            lambda bits=bits, made=made: made.append(
                create_self_signed(CertificateRequest("Bench", key_size=bits))
            ),
            runs.get(bits, 5),
        )
        keygen = _median(
            lambda bits=bits: rsa.generate_private_key(public_exponent=65537, key_size=bits),
            runs.get(bits, 5),
        )
        contents = made[-1]
        print(
            f"create RSA {bits}: median {create * 1000:.0f} ms; RSA key alone "
            f"{keygen * 1000:.0f} ms; ratio {create / keygen:.2f}"
        )
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
        pem = contents.private_key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        parse = _median(lambda pem=pem: serialization.load_pem_private_key(pem, None))
        print(
            f"  vault: keyring secret {secret} chars, blob {blob} bytes, "
            f"store+verify {stored * 1000:.0f} ms, load {loaded * 1000:.0f} ms; "
            f"parsing the key alone {parse * 1000:.0f} ms; load ratio {loaded / parse:.2f}"
        )


if __name__ == "__main__":
    main()
