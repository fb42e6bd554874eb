"""``app-profiles-cli cert inspect`` and ``cert create``, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pfx_corpus import CERT_JSON_KEYS, PfxCase


def inspect(cli: Any, case: PfxCase) -> subprocess.CompletedProcess[str]:
    args = ["cert", "inspect", str(case.path), "--format", "json"]
    if case.password is not None:
        return cli(*args, "--password-stdin", input_text=case.password + "\n")
    return cli(*args)


@pytest.mark.parametrize("name", ["modern_aes", "legacy", "chain", "near_expiry", "expired"])
def test_inspect_json(cli: Any, pfx_corpus: dict[str, PfxCase], name: str) -> None:
    case = pfx_corpus[name]
    proc = inspect(cli, case)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == CERT_JSON_KEYS
    assert data["thumbprint_sha1"] == case.sha1
    assert data["thumbprint_sha256"] == case.sha256
    assert data["key_type"] == "RSA" and data["chain_length"] == case.chain_length
    assert data["not_before"].endswith("Z") and data["not_after"].endswith("Z")
    assert data["has_private_key"] is True
    assert (case.warning is None) == (data["warnings"] == [])


def test_empty_password_line_means_no_password(cli: Any, pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["no_password"]
    path = str(case.path)
    proc = cli("cert", "inspect", path, "--password-stdin", "--format", "json", input_text="\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["thumbprint_sha1"] == case.sha1


@pytest.mark.parametrize(
    "name",
    [
        "wrong_password",
        "missing_password",
        "truncated",
        "random_bytes",
        "pem_renamed",
        "der_renamed",
    ],
)
def test_unusable_files_exit_2_with_one_line(
    cli: Any, pfx_corpus: dict[str, PfxCase], name: str
) -> None:
    case = pfx_corpus[name]
    proc = inspect(cli, case)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert case.error and case.error in proc.stderr


@pytest.mark.parametrize("name", ["ec_key", "rsa_1024", "cert_only"])
def test_keys_entra_refuses_exit_2_after_the_report(
    cli: Any, pfx_corpus: dict[str, PfxCase], name: str
) -> None:
    case = pfx_corpus[name]
    proc = inspect(cli, case)
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert data["key_type"] == case.key_type and data["key_size"] == case.key_size
    assert data["has_private_key"] is case.has_private_key
    assert case.problem and case.problem.lower() in proc.stderr.lower()
    assert proc.stderr.count("\n") == 1


def test_create_writes_cer_and_pfx_that_openssl_reads(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "certs"
    proc = cli(
        "cert", "create", "--subject", "Contoso - Backup", "--days", "30", "--key-size", "3072",
        "--out", str(out), "--pfx-password-stdin", "--format", "json",
        input_text="pfx-pass\n",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert Path(data["cer"]) == out / "Contoso-Backup.cer"
    assert Path(data["pfx"]) == out / "Contoso-Backup.pfx"
    fingerprint = subprocess.run(
        ["openssl", "x509", "-inform", "DER", "-in", data["cer"], "-noout", "-fingerprint",
         "-sha256"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert fingerprint.split("=", 1)[1].strip().replace(":", "") == data["thumbprint_sha256"]
    again = cli("cert", "inspect", data["pfx"], "--password-stdin", "--format", "json",
                input_text="pfx-pass\n")  # fmt: skip
    report = json.loads(again.stdout)
    assert report["thumbprint_sha1"] == data["thumbprint_sha1"] and report["key_size"] == 3072


def test_create_without_password_writes_only_the_cer(cli: Any, tmp_path: Path) -> None:
    proc = cli("cert", "create", "--subject", "Only Cer", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Only-Cer.cer"]
    assert "cer" in proc.stdout and "no .pfx was written" in proc.stderr
    again = cli("cert", "create", "--subject", "Only Cer", "--out", str(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "text"),
    [
        (["--days", "0"], None, "between 1 and"),
        (["--key-size", "1024"], None, "invalid choice"),
        (["--pfx-password-stdin"], "\n", "password on stdin is empty"),
    ],
)
def test_create_bad_input(
    cli: Any, tmp_path: Path, args: list[str], stdin: str | None, text: str
) -> None:
    proc = cli("cert", "create", "--subject", "X", "--out", str(tmp_path), *args, input_text=stdin)
    assert proc.returncode == 2 and text in proc.stderr
    assert list(tmp_path.iterdir()) == []
