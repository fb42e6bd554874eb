"""After importing a PFX (and saving a token cache), nothing under the data folder, and
nothing in the keyring, holds the private key, the password or the PFX bytes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop.core.certificates import read_pfx_file
from desktop.core.paths import data_paths
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import CertificateVault, SecretVault
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.pfx_corpus import PfxCase
from tests.helpers.tokens import REFRESH_TOKEN, signed_in_cache

pytestmark = pytest.mark.e2e


def secret_fragments(case: PfxCase) -> dict[str, bytes]:
    contents = read_pfx_file(case.path, case.password)
    key = contents.private_key
    assert key is not None and case.password
    pkcs8_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pkcs1_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pfx = case.path.read_bytes()
    numbers = key.private_numbers()  # type: ignore[union-attr]
    prime = numbers.p.to_bytes((numbers.p.bit_length() + 7) // 8, "big")
    return {
        "PKCS#8 DER key": pkcs8_der[-256:],
        "PKCS#1 DER key": pkcs1_der[-256:],
        "PEM key line": pem.splitlines()[5],
        "PEM header": b"PRIVATE KEY-----",
        "prime factor": prime,
        "password (UTF-8)": case.password.encode("utf-8"),
        "password (UTF-16)": case.password.encode("utf-16-le"),
        "PFX bytes": pfx[len(pfx) // 3 : len(pfx) // 3 + 64],
        "PFX base64": base64.b64encode(pfx)[100:160],
        "refresh token": REFRESH_TOKEN.encode(),
    }


def test_nothing_sensitive_lies_in_the_data_folder(
    data_home: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    paths = data_paths().ensure()
    backend = MemoryKeyring()
    vault = SecretVault(paths.vault, backend)
    case = pfx_corpus["modern_aes"]
    ref, _ = CertificateVault(vault).import_pfx(case.path.read_bytes(), case.password)
    EncryptedTokenCacheStore(vault).save(signed_in_cache())
    assert CertificateVault(vault).load(ref).private_key is not None  # it is really there

    stored = [p for p in data_home.rglob("*") if p.is_file()]
    # Lock files, and the mark of a certificate stored for a profile not saved yet: empty.
    locks = [p for p in stored if p.suffix in (".lock", ".pending")]
    assert all(p.read_bytes() == b"" for p in locks), "lock and pending files stay empty"
    # The two encrypted files, and the folder's id (which names its keyring entries).
    assert len(stored) - len(locks) == 3, stored
    assert len(paths.folder_id.read_bytes().strip()) == 32
    keyring_text = "\n".join(backend.entries.values()).encode()
    for label, fragment in secret_fragments(case).items():
        for path in stored:
            assert fragment not in path.read_bytes(), f"{label} found in {path.name}"
        assert fragment not in keyring_text, f"{label} found in the keyring"
