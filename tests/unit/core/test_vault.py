"""The vault against an in-memory keyring, and the ways a keyring fails."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring import errors

from desktop.core.certificates import read_pfx_file
from desktop.core.errors import UserError
from desktop.core.keyring_policy import ALLOW_TEST_KEYRING_ENV
from desktop.core.paths import data_paths
from desktop.core.vault import (
    SERVICE,
    CertificateVault,
    SecretVault,
    VaultDamagedError,
    VaultUnavailableError,
)
from tests.helpers.keyrings import FailingKeyring, ForgetfulKeyring, LimitedKeyring, MemoryKeyring
from tests.helpers.pfx_corpus import PfxCase


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return LimitedKeyring()


@pytest.fixture
def vault_folder(data_home: Path) -> Path:
    return data_paths().ensure().vault


@pytest.fixture
def certs(vault_folder: Path, keyring_backend: MemoryKeyring) -> Iterator[CertificateVault]:
    yield CertificateVault(SecretVault(vault_folder, keyring_backend))


def _pfx(corpus: dict[str, PfxCase], name: str) -> tuple[bytes, str | None]:
    return corpus[name].path.read_bytes(), corpus[name].password


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_round_trip_keeps_a_short_key_in_the_keyring(
    certs: CertificateVault, keyring_backend: MemoryKeyring, pfx_corpus: dict[str, PfxCase]
) -> None:
    case = pfx_corpus["chain"]
    ref, info = certs.import_pfx(case.path.read_bytes(), case.password)
    assert info.thumbprint_sha1 == case.sha1
    assert ref.startswith("cert-")
    [(service, account)] = keyring_backend.entries
    assert service == SERVICE and account == certs.vault.account(ref)
    assert len(keyring_backend.entries[(service, account)]) < 100  # never the whole PFX
    loaded = certs.load(ref)
    assert loaded.certificate == read_pfx_file(case.path, case.password).certificate
    assert len(loaded.chain) == 2 and loaded.private_key is not None
    assert certs.info(ref).thumbprint_sha256 == case.sha256
    certs.delete(ref)
    assert keyring_backend.entries == {}
    assert files(certs.vault.folder) == []
    with pytest.raises(VaultDamagedError, match="missing"):
        certs.load(ref)


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (errors.NoKeyringError("No recommended backend"), "no secure password store"),
        (errors.KeyringLocked("locked"), "keyring is locked"),
        (errors.KeyringError("Prompt dismissed"), "keyring is locked"),
        (PermissionError("Access is denied"), "refused access"),
    ],
)
def test_unavailable_keyring_stores_nothing(
    vault_folder: Path, pfx_corpus: dict[str, PfxCase], error: Exception, text: str
) -> None:
    certs = CertificateVault(SecretVault(vault_folder, FailingKeyring(error)))
    case = pfx_corpus["modern_aes"]
    with pytest.raises(VaultUnavailableError, match=text) as caught:
        certs.import_pfx(case.path.read_bytes(), case.password)
    assert caught.value.remedy
    assert files(vault_folder) == [], "no plaintext (or any) fallback"


def test_a_keyring_that_keeps_nothing_is_refused(
    vault_folder: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    certs = CertificateVault(SecretVault(vault_folder, ForgetfulKeyring()))
    case = pfx_corpus["modern_aes"]
    with pytest.raises(VaultUnavailableError, match="did not keep"):
        certs.import_pfx(case.path.read_bytes(), case.password)
    assert files(vault_folder) == []


def test_plaintext_and_fail_backends_are_refused(vault_folder: Path) -> None:
    from keyring.backends import fail, null

    for backend in (fail.Keyring(), null.Keyring()):
        vault = SecretVault(vault_folder, backend)
        with pytest.raises(VaultUnavailableError, match="no secure password store"):
            vault.put("x", b"secret")
    assert files(vault_folder) == []


@pytest.mark.parametrize("name", ["expired", "not_yet_valid", "ec_key", "rsa_1024", "cert_only"])
def test_storing_refuses_what_a_profile_cannot_use(
    certs: CertificateVault,
    keyring_backend: MemoryKeyring,
    pfx_corpus: dict[str, PfxCase],
    name: str,
) -> None:
    case = pfx_corpus[name]
    with pytest.raises(UserError):
        certs.import_pfx(case.path.read_bytes(), case.password)
    assert keyring_backend.entries == {} and files(certs.vault.folder) == []


def test_replace_keeps_the_old_until_the_new_is_committed(
    certs: CertificateVault, pfx_corpus: dict[str, PfxCase]
) -> None:
    old_ref, _ = certs.import_pfx(*_pfx(pfx_corpus, "modern_aes"))
    new_contents = read_pfx_file(pfx_corpus["chain"].path, pfx_corpus["chain"].password)

    def failing_commit(ref: str) -> None:
        assert certs.load(ref).certificate == new_contents.certificate  # stored and readable
        raise UserError("the profile could not be saved")

    with pytest.raises(UserError, match="could not be saved"):
        certs.replace(old_ref, new_contents, failing_commit)
    assert certs.vault.names() == [old_ref]
    assert certs.info(old_ref).thumbprint_sha1 == pfx_corpus["modern_aes"].sha1

    committed: list[str] = []
    new_ref = certs.replace(old_ref, new_contents, committed.append)
    assert committed == [new_ref] and certs.vault.names() == [new_ref]
    assert certs.info(new_ref).thumbprint_sha1 == pfx_corpus["chain"].sha1


def test_replace_with_an_unusable_certificate_keeps_the_old(
    certs: CertificateVault, pfx_corpus: dict[str, PfxCase]
) -> None:
    old_ref, _ = certs.import_pfx(*_pfx(pfx_corpus, "legacy"))
    expired = read_pfx_file(pfx_corpus["expired"].path, pfx_corpus["expired"].password)
    with pytest.raises(UserError, match="expired"):
        certs.replace(old_ref, expired)
    assert certs.vault.names() == [old_ref]


def test_replace_when_the_keyring_breaks_keeps_the_old(
    vault_folder: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    backend = MemoryKeyring()
    certs = CertificateVault(SecretVault(vault_folder, backend))
    old_ref, _ = certs.import_pfx(*_pfx(pfx_corpus, "legacy"))
    saved = dict(backend.entries)
    new = read_pfx_file(pfx_corpus["chain"].path, pfx_corpus["chain"].password)
    certs.vault._backend = FailingKeyring(errors.KeyringLocked("locked"))
    with pytest.raises(VaultUnavailableError):
        certs.replace(old_ref, new)
    certs.vault._backend = backend
    assert backend.entries == saved and certs.vault.names() == [old_ref]
    assert certs.load(old_ref).private_key is not None


def test_delete_with_a_locked_keyring_keeps_both_parts(
    vault_folder: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    backend = MemoryKeyring()
    certs = CertificateVault(SecretVault(vault_folder, backend))
    ref, _ = certs.import_pfx(*_pfx(pfx_corpus, "legacy"))
    certs.vault._backend = FailingKeyring(errors.KeyringLocked("locked"))
    with pytest.raises(VaultUnavailableError, match="locked"):
        certs.delete(ref)
    certs.vault._backend = backend
    assert certs.load(ref).private_key is not None


def test_tampered_or_swapped_blobs_do_not_decrypt(vault_folder: Path) -> None:
    vault = SecretVault(vault_folder, MemoryKeyring())
    vault.put("a", b"first secret")
    vault.put("b", b"second secret")
    blob = (vault_folder / "a.bin").read_bytes()
    (vault_folder / "a.bin").write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    with pytest.raises(VaultDamagedError, match="does not match"):
        vault.get("a")
    (vault_folder / "a.bin").write_bytes((vault_folder / "b.bin").read_bytes())
    with pytest.raises(VaultDamagedError):
        vault.get("a")
    assert vault.get("b") == b"second secret"


def test_lost_keyring_key_is_explained(vault_folder: Path) -> None:
    backend = MemoryKeyring()
    vault = SecretVault(vault_folder, backend)
    vault.put("a", b"secret")
    backend.entries.clear()
    with pytest.raises(VaultDamagedError, match="missing from the OS keyring") as caught:
        vault.get("a")
    assert "another computer" in caught.value.remedy


def test_put_again_reuses_the_key_and_replaces_the_blob(vault_folder: Path) -> None:
    backend = MemoryKeyring()
    vault = SecretVault(vault_folder, backend)
    vault.put("cache", b"one")
    key = dict(backend.entries)
    vault.put("cache", b"two")
    assert backend.entries == key and vault.get("cache") == b"two"
    assert files(vault_folder) == ["cache.bin"], "no temporary files left behind"


def test_bad_refs_are_refused(certs: CertificateVault) -> None:
    for ref in ["../etc/passwd", "token-cache", "cert-../../x"]:
        with pytest.raises(UserError):
            certs.load(ref)


_MADE: list[type] = []


def _backend_class(module: str, name: str, priority: float) -> type[MemoryKeyring]:
    """A working in-memory backend that claims to live in *module* under *name*."""
    made = type(name, (MemoryKeyring,), {"__module__": module, "priority": priority})
    _MADE.append(made)
    return made


@pytest.fixture(autouse=True)
def _forget_made_backends() -> Iterator[None]:
    """keyring registers every backend class; drop ours so no later lookup can choose one."""
    yield
    from keyring.backend import KeyringBackend

    while _MADE:
        KeyringBackend._classes.discard(_MADE.pop())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("module", "name", "priority", "reason"),
    [
        ("keyrings.alt.file", "PlaintextKeyring", 0.5, "unprotected"),
        ("acme.keyrings", "PlainTextStore", 5, "unprotected"),
        ("acme.keyrings", "JsonFileKeyring", 0.5, "not a recommended keyring"),
    ],
)
def test_plaintext_and_low_priority_backends_are_refused(
    vault_folder: Path, module: str, name: str, priority: float, reason: str
) -> None:
    backend = _backend_class(module, name, priority)()
    vault = SecretVault(vault_folder, backend)
    with pytest.raises(VaultUnavailableError, match="no secure password store") as caught:
        vault.put("x", b"secret")
    assert reason in caught.value.detail
    assert backend.entries == {} and files(vault_folder) == []


def test_the_test_suites_keyrings_are_refused_outside_the_tests(
    vault_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.helpers.file_keyring import FileKeyring

    file_backend = FileKeyring(tmp_path / "keyring.json")
    monkeypatch.delenv(ALLOW_TEST_KEYRING_ENV)
    for backend in (MemoryKeyring(), file_backend):
        with pytest.raises(VaultUnavailableError, match="no secure password store") as caught:
            SecretVault(vault_folder, backend).put("x", b"secret")
        assert "for tests only" in caught.value.detail
    assert not (tmp_path / "keyring.json").exists() and files(vault_folder) == []
    monkeypatch.setenv(ALLOW_TEST_KEYRING_ENV, "1")
    SecretVault(vault_folder, file_backend).put("x", b"secret")  # the test suite may
    assert file_backend.accounts(SERVICE) == [SecretVault(vault_folder).account("x")]


def test_file_keyring_chosen_by_environment_is_refused_in_a_real_process(
    tmp_path: Path, pfx_corpus: dict[str, PfxCase]
) -> None:
    """``PYTHON_KEYRING_BACKEND`` naming the test keyring, in a process that is not a test."""
    from tests.helpers.file_keyring import keyring_env
    from tests.helpers.fixtures import REPO_ROOT

    keyring_file = tmp_path / "keyring.json"
    env = {k: v for k, v in os.environ.items() if k != ALLOW_TEST_KEYRING_ENV}
    env.update(keyring_env(keyring_file), APP_PROFILES_HOME=str(tmp_path / "data"))
    env.pop(ALLOW_TEST_KEYRING_ENV, None)
    env["PYTHONPATH"] = str(REPO_ROOT)
    case = pfx_corpus["modern_aes"]
    script = (
        "import sys\n"
        "from desktop.core.errors import UserError\n"
        "from desktop.core.paths import data_paths\n"
        "from desktop.core.vault import CertificateVault, open_vault\n"
        "try:\n"
        "    CertificateVault(open_vault(data_paths().ensure())).import_pfx(\n"
        "        open(sys.argv[1], 'rb').read(), sys.argv[2])\n"
        "except UserError as exc:\n"
        "    print(exc.one_line(), exc.detail)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(case.path), str(case.password)],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "no secure password store" in proc.stdout and "for tests only" in proc.stdout
    assert not keyring_file.exists()
    vault = tmp_path / "data" / "vault"
    assert not vault.exists() or list(vault.iterdir()) == []


def test_a_chained_keyring_uses_only_its_first_backend(
    vault_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring's chainer reads through every backend; the vault must not read a plaintext one."""
    from keyring.backends.chainer import ChainerBackend

    real = _backend_class("acme.oskeyring", "OsKeyring", 5)()
    plain = _backend_class("acme.files", "PlaintextKeyring", 0.5)()
    chainer = type("Chainer", (ChainerBackend,), {"backends": [real, plain]})
    _MADE.append(chainer)
    vault = SecretVault(vault_folder, None)
    monkeypatch.setattr("keyring.get_keyring", chainer)
    vault.put("x", b"secret")
    assert vault.get("x") == b"secret"
    assert list(real.entries) == [(SERVICE, vault.account("x"))] and plain.calls == []


def test_the_backend_is_checked_once_not_on_every_call(vault_folder: Path) -> None:
    """The Secret Service's priority opens a D-Bus connection; asking it each time is slow."""
    asked: list[int] = []

    class CountingKeyring(MemoryKeyring):
        @property
        def priority(self) -> float:  # type: ignore[override]
            asked.append(1)
            return 5

    _MADE.append(CountingKeyring)
    vault = SecretVault(vault_folder, CountingKeyring())
    vault.put("x", b"secret")
    assert vault.get("x") == b"secret"
    vault.delete("x")
    assert len(asked) == 1
