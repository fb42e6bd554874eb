"""Hostile .pfx files are refused before any password hashing: absurd iteration counts, files
that never end, pipes, and damaged structure (which says "damaged", not "wrong password")."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from unittest import mock

import pytest

from desktop.core.certificates import (
    CertificateError,
    read_pfx,
    read_pfx_bytes,
    read_pfx_file,
    reading,
)
from desktop.core.certificates.pkcs12_limits import MAX_ITERATIONS, MAX_TOTAL_ITERATIONS, check_work
from tests.helpers.der_edit import count_of, with_counts
from tests.helpers.pfx_corpus import PfxCase

#: openssl 3 writes 2048 for the MAC and for each encrypted part.
OPENSSL_COUNT = 2048
HOSTILE = [MAX_ITERATIONS + 1, 2**31 - 1, 2**32, 2**63, 2**200]


def _never_decrypts() -> mock._patch[mock.MagicMock]:
    return mock.patch.object(
        reading.pkcs12,
        "load_key_and_certificates",
        side_effect=AssertionError("the password was tried on a hostile file"),
    )


@pytest.mark.parametrize("name", ["modern_aes", "legacy"])
@pytest.mark.parametrize("count", HOSTILE)
def test_every_iteration_count_is_bounded_before_decrypting(
    pfx_corpus: dict[str, PfxCase], name: str, count: int
) -> None:
    case = pfx_corpus[name]
    data = case.path.read_bytes()
    places = count_of(data, OPENSSL_COUNT)
    assert places == 3  # the MAC, the key's and the certificates' encryption
    for which in range(places):
        hostile = with_counts(data, OPENSSL_COUNT, count, which)
        with _never_decrypts(), pytest.raises(CertificateError, match="rounds of password"):
            read_pfx(hostile, case.password)


def test_many_generous_counts_add_up_to_a_refusal(pfx_corpus: dict[str, PfxCase]) -> None:
    data = pfx_corpus["modern_aes"].path.read_bytes()
    each = MAX_TOTAL_ITERATIONS // 3 + 1
    assert each <= MAX_ITERATIONS
    hostile = with_counts(data, OPENSSL_COUNT, each)
    with _never_decrypts(), pytest.raises(CertificateError, match="in all"):
        read_pfx(hostile, None)


@pytest.mark.parametrize("name", ["modern_aes", "legacy", "no_password", "unencrypted", "chain"])
def test_real_files_are_within_the_limits(pfx_corpus: dict[str, PfxCase], name: str) -> None:
    assert check_work(pfx_corpus[name].path.read_bytes()) <= 3 * OPENSSL_COUNT


def test_a_generous_count_still_opens(pfx_corpus: dict[str, PfxCase]) -> None:
    """Within the limit, an edited count reaches the PKCS#12 reader (whose MAC then fails)."""
    case = pfx_corpus["modern_aes"]
    edited = with_counts(case.path.read_bytes(), OPENSSL_COUNT, 20_000, which=0)
    with pytest.raises(CertificateError) as caught:
        read_pfx(edited, case.password)
    assert "rounds of password" not in str(caught.value)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_cut_file_says_damaged(pfx_corpus: dict[str, PfxCase], keep: float) -> None:
    for name in ("modern_aes", "legacy"):
        data = pfx_corpus[name].path.read_bytes()
        with pytest.raises(CertificateError, match="damaged") as caught:
            read_pfx(data[: int(len(data) * keep)], "a password")
        assert "password" not in caught.value.one_line().split("(")[0]


def test_a_device_is_refused_without_reading_it() -> None:
    with pytest.raises(CertificateError, match="not a regular file"):
        read_pfx_file(Path("/dev/zero"), None)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "cert.pfx"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_pfx_bytes(fifo))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(60)  # a blocked open never returns; a refusal returns at once
    if worker.is_alive():  # unblock the reader so the thread ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], CertificateError)
    assert "not a regular file" in str(outcome[0])


def test_a_large_file_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.pfx"
    big.write_bytes(b"\x30" * (reading.MAX_PFX_BYTES + 1))
    with (
        mock.patch.object(Path, "read_bytes", side_effect=AssertionError("read it all")),
        pytest.raises(CertificateError, match="far too large"),
    ):
        read_pfx_file(big, None)


def test_a_password_that_is_not_text_gets_one_line(pfx_corpus: dict[str, PfxCase]) -> None:
    data = pfx_corpus["modern_aes"].path.read_bytes()
    with pytest.raises(CertificateError, match="not UTF-8"):
        read_pfx(data, "pa\udcffss")
