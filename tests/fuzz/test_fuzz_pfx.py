"""Mutated .pfx files: bit flips, cuts, inserted bytes and edited iteration counts of valid files
made here. Opening one either works or raises a CertificateError with one line, and the
password is never tried on a file that asks for more hashing than the limits allow."""

from __future__ import annotations

import contextlib
import functools
from unittest import mock

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12
from cryptography.hazmat.primitives.serialization.pkcs12 import PBES
from hypothesis import example, given
from hypothesis import strategies as st

from desktop.core.certificates import CertificateError, read_pfx, reading
from desktop.core.certificates.pkcs12_limits import (
    MAX_ITERATIONS,
    MAX_TOTAL_ITERATIONS,
    Damaged,
    NotPkcs12,
    TooMuchWork,
    check_work,
)
from tests.helpers.certificates import app_certificate
from tests.helpers.der_edit import count_of, with_counts
from tests.helpers.fuzz import budget

PASSWORD = "pw"
#: A count no other integer in the files has, so edits find exactly the iteration counts.
MARK = 1931


@functools.cache
def originals() -> tuple[bytes, ...]:
    """A modern (PBES2/AES) and a legacy (3DES/SHA-1) file, each with every count = MARK."""
    cert, pfx = app_certificate("fuzzed app")
    key, _, _ = pkcs12.load_key_and_certificates(pfx, PASSWORD.encode())
    assert key is not None
    files = []
    for algorithm, digest in (
        (PBES.PBESv2SHA256AndAES256CBC, hashes.SHA256()),
        (PBES.PBESv1SHA1And3KeyTripleDESCBC, hashes.SHA1()),
    ):
        encryption = (
            PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(MARK)
            .key_cert_algorithm(algorithm)
            .hmac_hash(digest)
            .build(PASSWORD.encode())
        )
        data = pkcs12.serialize_key_and_certificates(b"app", key, cert, None, encryption)
        assert count_of(data, MARK) >= 2
        files.append(data)
    return tuple(files)


def _open(data: bytes, password: str | None) -> None:
    """Open *data*; the PKCS#12 reader may only see files within the work limits."""
    real = pkcs12.load_key_and_certificates

    def guarded(blob: bytes, secret: bytes | None) -> object:
        assert check_work(blob) <= MAX_TOTAL_ITERATIONS
        return real(blob, secret)

    with mock.patch.object(reading.pkcs12, "load_key_and_certificates", guarded):
        try:
            read_pfx(data, password)
        except CertificateError as exc:
            assert "\n" not in exc.one_line()


def _structure_never_crashes(data: bytes) -> None:
    with contextlib.suppress(NotPkcs12, Damaged, TooMuchWork):  # anything else fails
        check_work(data)


mutations = st.one_of(
    st.tuples(st.just("flip"), st.lists(st.integers(min_value=0), min_size=1, max_size=8)),
    st.tuples(st.just("cut"), st.integers(min_value=0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.binary(min_size=1, max_size=8)),
)


def _mutate(data: bytes, how: tuple[object, ...]) -> bytes:
    kind = how[0]
    if kind == "flip":
        out = bytearray(data)
        for n in how[1]:  # type: ignore[attr-defined]
            out[n % len(out)] ^= 1 << (n % 8)
        return bytes(out)
    if kind == "cut":
        return data[: int(how[1]) % len(data)]  # type: ignore[call-overload]
    at = int(how[1]) % len(data)  # type: ignore[call-overload]
    return data[:at] + how[2] + data[at:]  # type: ignore[operator]


@budget(60)
@given(st.sampled_from([0, 1]), mutations, st.sampled_from([PASSWORD, None, "wrong"]))
def test_mutated_files_open_or_fail_in_one_line(which: int, how: tuple[object, ...],
                                                 password: str | None) -> None:  # fmt: skip
    data = _mutate(originals()[which], how)
    _structure_never_crashes(data)
    _open(data, password)


@budget(40)
@example(which=0, place=0, count=2**31 - 1)
@example(which=1, place=1, count=2**31 - 1)
@example(which=0, place=2, count=2**64)
@given(
    which=st.sampled_from([0, 1]),
    place=st.integers(min_value=0, max_value=5),
    count=st.one_of(
        st.integers(min_value=1, max_value=30_000),
        st.integers(min_value=MAX_ITERATIONS + 1, max_value=2**80),
    ),
)
def test_edited_iteration_counts_are_bounded(which: int, place: int, count: int) -> None:
    data = originals()[which]
    edited = with_counts(data, MARK, count, place % count_of(data, MARK))
    _open(edited, PASSWORD)
    if count > MAX_ITERATIONS:
        with mock.patch.object(reading.pkcs12, "load_key_and_certificates") as loader:
            try:
                read_pfx(edited, PASSWORD)
            except CertificateError as exc:
                assert "rounds of password hashing" in str(exc)
            assert not loader.called
