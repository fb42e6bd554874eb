"""A run loads each custom app's private key once, even when its checks start together, and
keeps it only for the run."""

from __future__ import annotations

import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from desktop.core.errors import UserError
from desktop.core.identity.assertion import KeyCache


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


@pytest.fixture(scope="module")
def pems() -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)) for _ in range(2)
    )


def test_checks_starting_together_share_one_load(pems: tuple[str, str]) -> None:
    keys = KeyCache()
    start = threading.Barrier(8)
    loaded: list[rsa.RSAPrivateKey] = []

    def check() -> None:
        start.wait()
        loaded.append(keys.key(pems[0]))

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loaded) == 8
    assert all(key is loaded[0] for key in loaded)  # one load, not one per check
    assert keys.key(pems[1]) is not loaded[0]
    assert keys.key(pems[1]).private_numbers() != loaded[0].private_numbers()


def test_the_next_run_loads_again_and_the_pem_text_is_not_kept(pems: tuple[str, str]) -> None:
    first, second = KeyCache(), KeyCache()
    assert first.key(pems[0]) is not second.key(pems[0])
    kept = repr(vars(first))
    assert "PRIVATE KEY" not in kept and pems[0].splitlines()[1] not in kept


def test_a_key_that_is_not_rsa_is_one_clear_line() -> None:
    with pytest.raises(UserError) as refused:
        KeyCache().key(_pem(ec.generate_private_key(ec.SECP256R1())))
    assert "not an RSA key" in refused.value.one_line()
