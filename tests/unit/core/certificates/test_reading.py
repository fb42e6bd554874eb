"""Opening and inspecting .pfx files made by the openssl command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.core.certificates import (
    CertificateError,
    inspect,
    inspect_pfx,
    read_pfx,
    read_pfx_file,
    usability_error,
    validate_for_profile,
)
from tests.helpers.pfx_corpus import CERT_JSON_KEYS, PfxCase

OPENS = [
    "modern_aes",
    "legacy",
    "no_password",
    "unencrypted",
    "cert_only",
    "ec_key",
    "rsa_1024",
    "expired",
    "not_yet_valid",
    "near_expiry",
    "chain",
]
FAILS = [
    "wrong_password",
    "missing_password",
    "truncated",
    "random_bytes",
    "pem_renamed",
    "der_renamed",
    "empty_file",
]


@pytest.mark.parametrize("name", OPENS)
def test_report_agrees_with_openssl(pfx_corpus: dict[str, PfxCase], name: str) -> None:
    case = pfx_corpus[name]
    info = inspect(read_pfx_file(case.path, case.password))
    assert info.thumbprint_sha1 == case.sha1
    assert info.thumbprint_sha256 == case.sha256
    assert len(info.thumbprint_sha1) == 40 and info.thumbprint_sha1.isupper()
    assert int(info.serial, 16) == case.serial
    assert info.common_name == case.subject_cn
    assert (info.key_type, info.key_size) == (case.key_type, case.key_size)
    assert info.chain_length == case.chain_length
    assert info.has_private_key is case.has_private_key
    assert info.not_before < info.not_after


@pytest.mark.parametrize("name", OPENS)
def test_each_case_reports_its_own_warning_and_problem(
    pfx_corpus: dict[str, PfxCase], name: str
) -> None:
    case = pfx_corpus[name]
    info = inspect(read_pfx_file(case.path, case.password))
    if case.warning:
        assert len(info.warnings) == 1 and case.warning in info.warnings[0]
    else:
        assert info.warnings == ()
    if case.problem:
        assert len(info.problems) == 1 and case.problem.lower() in info.problems[0].lower()
        error = usability_error(info)
        assert error is not None and case.problem.lower() in error.message.lower()
    else:
        assert info.problems == () and usability_error(info) is None


@pytest.mark.parametrize("name", FAILS)
def test_each_bad_file_gets_its_own_message(pfx_corpus: dict[str, PfxCase], name: str) -> None:
    case = pfx_corpus[name]
    assert case.error
    with pytest.raises(CertificateError) as caught:
        read_pfx_file(case.path, case.password)
    assert case.error in caught.value.message
    assert caught.value.remedy, "every message says what to do"


def test_messages_are_distinct(pfx_corpus: dict[str, PfxCase]) -> None:
    """Wrong password, missing password, garbage and a bare certificate read differently."""
    messages = set()
    for name in ["wrong_password", "missing_password", "random_bytes", "pem_renamed"]:
        case = pfx_corpus[name]
        with pytest.raises(CertificateError) as caught:
            read_pfx_file(case.path, case.password)
        messages.add(caught.value.message)
    assert len(messages) == 4


def test_a_password_given_for_a_file_without_one_is_ignored(
    pfx_corpus: dict[str, PfxCase],
) -> None:
    case = pfx_corpus["no_password"]
    info = inspect_pfx(case.path.read_bytes(), "typed by mistake")
    assert info.thumbprint_sha1 == case.sha1


def test_chain_puts_the_leaf_first(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["chain"]
    contents = read_pfx_file(case.path, case.password)
    info = inspect(contents)
    assert "Contoso Issuing CA" in info.issuer
    assert {c.subject.rfc4514_string() for c in contents.chain} == {
        "CN=Contoso Issuing CA",
        "CN=Contoso Root CA",
    }


def test_cert_only_file_picks_its_certificate_without_a_key(
    pfx_corpus: dict[str, PfxCase],
) -> None:
    case = pfx_corpus["cert_only"]
    contents = read_pfx_file(case.path, case.password)
    assert contents.private_key is None
    with pytest.raises(CertificateError, match="no private key"):
        validate_for_profile(contents)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("expired", "expired on"),
        ("not_yet_valid", "not valid until"),
        ("ec_key", "accepts only RSA"),
        ("rsa_1024", "at least 2048"),
    ],
)
def test_validate_for_profile_refuses(pfx_corpus: dict[str, PfxCase], name: str, text: str) -> None:
    case = pfx_corpus[name]
    contents = read_pfx_file(case.path, case.password)
    with pytest.raises(CertificateError, match=text):
        validate_for_profile(contents)


def test_validate_for_profile_accepts_near_expiry_with_a_warning(
    pfx_corpus: dict[str, PfxCase],
) -> None:
    case = pfx_corpus["near_expiry"]
    info = validate_for_profile(read_pfx_file(case.path, case.password))
    assert info.expires_soon and 0 <= info.days_left < 30


def test_time_warnings_follow_the_clock(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["modern_aes"]
    contents = read_pfx_file(case.path, case.password)
    not_after = contents.certificate.not_valid_after_utc
    assert inspect(contents, not_after - timedelta(days=31)).warnings == ()
    soon = inspect(contents, not_after - timedelta(days=29))
    assert soon.expires_soon and "expires in 29 days" in soon.warnings[0]
    assert inspect(contents, not_after + timedelta(seconds=1)).expired
    before = contents.certificate.not_valid_before_utc - timedelta(days=1)
    assert inspect(contents, before).not_yet_valid


def test_json_has_exactly_the_documented_keys(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["ec_key"]
    data = inspect(read_pfx_file(case.path, case.password)).to_json()
    assert list(data) == CERT_JSON_KEYS
    assert data["not_after"].endswith("Z")
    parsed = datetime.fromisoformat(data["not_after"].replace("Z", "+00:00"))
    assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)
    assert any("RSA" in w for w in data["warnings"])


def test_missing_file_and_folder(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(CertificateError, match="does not exist"):
        read_pfx_file(tmp_path / "nope.pfx", None)  # type: ignore[operator]
    with pytest.raises(CertificateError, match="is a folder"):
        read_pfx_file(tmp_path, None)  # type: ignore[arg-type]


def test_huge_file_is_refused_before_parsing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.pfx"
    big.write_bytes(b"\0" * (2 * 1024 * 1024))
    with pytest.raises(CertificateError, match="far too large"):
        read_pfx_file(big, None)


def test_read_pfx_keeps_bytes_only_in_memory(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["legacy"]
    contents = read_pfx(case.path.read_bytes(), case.password)
    assert contents.private_key is not None
    assert datetime.now(UTC) < contents.certificate.not_valid_after_utc
