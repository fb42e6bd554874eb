"""The local secret store: the data folder's vault behind the secret-store interface."""

from __future__ import annotations

from pathlib import Path

import msal

from desktop.core.paths import data_paths
from desktop.core.secrets import SecretStore, open_secret_store
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.pfx_corpus import PfxCase


def test_certificates_and_tokens_go_through_one_store(
    data_home: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    keyring = MemoryKeyring()
    store: SecretStore = open_secret_store(data_paths().ensure(), keyring)
    case = pfx_corpus["chain"]
    ref, info = store.import_pfx(case.path.read_bytes(), case.password)
    store.settle(ref)
    assert info.thumbprint_sha1 == case.sha1
    assert store.info(ref).thumbprint_sha256 == case.sha256

    cache = msal.SerializableTokenCache()
    cache.deserialize(
        '{"RefreshToken": {"k": {"secret": "rt-value", "credential_type": "RefreshToken"}}}'
    )
    cache.has_state_changed = True  # as MSAL marks it after a sign-in
    assert store.token_cache().save(cache)
    # A second store over the same data folder (another run) reads both back.
    again = open_secret_store(data_paths(), keyring)
    assert again.load(ref).certificate == store.load(ref).certificate
    assert "rt-value" in again.token_cache().load().serialize()
    vault_bytes = b"".join(p.read_bytes() for p in data_paths().vault.iterdir() if p.is_file())
    assert b"rt-value" not in vault_bytes  # encrypted on disk

    again.delete(ref)
    assert not data_paths().vault.joinpath(f"{ref}.bin").exists()
