"""A corpus of certificate files made at test time by the ``openssl`` command line.

The files come from openssl, not from our own code, so the tests check our reading against an
independent producer. ``openssl x509 -fingerprint`` gives the thumbprints we must agree with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

#: The keys of ``cert inspect --format json``, in the documented order.
CERT_JSON_KEYS = [
    "subject",
    "issuer",
    "serial",
    "thumbprint_sha1",
    "thumbprint_sha256",
    "not_before",
    "not_after",
    "key_type",
    "key_size",
    "has_private_key",
    "chain_length",
    "warnings",
]

PASSWORD = "Corr3ct horse, battery staple!"


@dataclass(frozen=True)
class PfxCase:
    """One file in the corpus and what reading it must give."""

    name: str
    path: Path
    password: str | None
    #: Text of the UserError that opening the file must raise (None: it opens).
    error: str | None = None
    #: Text of the usability problem inspect must report (None: none).
    problem: str | None = None
    #: Text of the time warning inspect must report (None: none).
    warning: str | None = None
    key_type: str = "RSA"
    key_size: int = 2048
    chain_length: int = 1
    has_private_key: bool = True
    #: The leaf certificate as PEM, for openssl's fingerprints and serial.
    leaf_pem: Path | None = None
    sha1: str = ""
    sha256: str = ""
    serial: int = 0
    subject_cn: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class Openssl:
    """Runs openssl in one folder; the PFX password goes through the environment."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "PFX_PASSWORD": PASSWORD}

    def __call__(self, *args: str) -> str:
        proc = subprocess.run(
            ["openssl", *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"openssl {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def rsa_key(self, name: str, bits: int = 2048) -> str:
        self("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}", "-out", name)
        return name

    def self_signed(self, key: str, cn: str, out: str, days: int = 365) -> str:
        self("req", "-x509", "-new", "-key", key, "-subj", f"/CN={cn}/O=Contoso Ltd",
             "-days", str(days), "-sha256", "-out", out)  # fmt: skip
        return out

    def ca_signed(self, key: str, cn: str, out: str, start: datetime, end: datetime) -> str:
        """A self-signed certificate with exact dates, through ``openssl ca -selfsign``."""
        ca_dir = self.folder / f"ca-{out}"
        (ca_dir / "new").mkdir(parents=True)
        (ca_dir / "index.txt").write_text("")
        (ca_dir / "serial").write_text("1000\n")
        (ca_dir / "ca.cnf").write_text(
            f"[ca]\ndefault_ca = d\n[d]\ndatabase = {ca_dir}/index.txt\n"
            f"new_certs_dir = {ca_dir}/new\nserial = {ca_dir}/serial\ndefault_md = sha256\n"
            "policy = p\nunique_subject = no\n[p]\ncommonName = supplied\n"
        )
        csr = f"{out}.csr"
        self("req", "-new", "-key", key, "-subj", f"/CN={cn}", "-out", csr)
        fmt = "%Y%m%d%H%M%SZ"
        self("ca", "-config", str(ca_dir / "ca.cnf"), "-batch", "-selfsign", "-keyfile", key,
             "-in", csr, "-out", out, "-notext",
             "-startdate", start.strftime(fmt), "-enddate", end.strftime(fmt))  # fmt: skip
        return out

    def pkcs12(self, out: str, *args: str, password: bool = True) -> Path:
        passout = "env:PFX_PASSWORD" if password else "pass:"
        self("pkcs12", "-export", "-out", out, "-passout", passout, *args)
        return self.folder / out

    def fingerprint(self, pem: str, algorithm: str) -> str:
        text = self("x509", "-in", pem, "-noout", "-fingerprint", f"-{algorithm}")
        return text.strip().split("=", 1)[1].replace(":", "").upper()

    def serial(self, pem: str) -> int:
        return int(self("x509", "-in", pem, "-noout", "-serial").strip().split("=", 1)[1], 16)


def build_corpus(folder: Path) -> dict[str, PfxCase]:
    """Make every file of the corpus in *folder*."""
    ssl = Openssl(folder)
    now = datetime.now(UTC)
    cases: dict[str, PfxCase] = {}

    def add(case: PfxCase, leaf: str | None = None) -> None:
        if leaf is not None:
            case = PfxCase(
                **{
                    **case.__dict__,
                    "leaf_pem": folder / leaf,
                    "sha1": ssl.fingerprint(leaf, "sha1"),
                    "sha256": ssl.fingerprint(leaf, "sha256"),
                    "serial": ssl.serial(leaf),
                }
            )
        cases[case.name] = case

    ssl.rsa_key("rsa.key")
    ssl.self_signed("rsa.key", "Contoso Backup App", "rsa.pem")
    good = {"leaf": "rsa.pem", "subject_cn": "Contoso Backup App"}
    pair = ("-inkey", "rsa.key", "-in", "rsa.pem")
    add(PfxCase("modern_aes", ssl.pkcs12("modern.pfx", *pair), PASSWORD,
                subject_cn=good["subject_cn"]), good["leaf"])  # fmt: skip
    add(PfxCase("legacy", ssl.pkcs12("legacy.pfx", *pair, "-legacy"), PASSWORD,
                subject_cn=good["subject_cn"]), good["leaf"])  # fmt: skip
    add(PfxCase("no_password", ssl.pkcs12("nopass.p12", *pair, password=False), None,
                subject_cn=good["subject_cn"]), good["leaf"])  # fmt: skip
    add(PfxCase("unencrypted", ssl.pkcs12("plain.pfx", *pair, "-keypbe", "NONE", "-certpbe",
                "NONE", "-nomac", password=False), None,
                subject_cn=good["subject_cn"]), good["leaf"])  # fmt: skip
    add(PfxCase("wrong_password", folder / "modern.pfx", "not the password",
                error="The password is wrong"))  # fmt: skip
    add(PfxCase("missing_password", folder / "modern.pfx", None,
                error="protected by a password, and none was given"))  # fmt: skip
    add(PfxCase("cert_only", ssl.pkcs12("certonly.pfx", "-nokeys", "-in", "rsa.pem"), PASSWORD,
                problem="no private key", has_private_key=False,
                subject_cn=good["subject_cn"]), good["leaf"])  # fmt: skip

    ssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key")
    ssl.self_signed("ec.key", "EC App", "ec.pem")
    add(PfxCase("ec_key", ssl.pkcs12("ec.pfx", "-inkey", "ec.key", "-in", "ec.pem"), PASSWORD,
                problem="accepts only RSA", key_type="EC", key_size=256,
                subject_cn="EC App"), "ec.pem")  # fmt: skip

    ssl.rsa_key("weak.key", 1024)
    ssl.self_signed("weak.key", "Weak App", "weak.pem")
    add(PfxCase("rsa_1024", ssl.pkcs12("weak.pfx", "-inkey", "weak.key", "-in", "weak.pem"),
                PASSWORD, problem="at least 2048", key_size=1024,
                subject_cn="Weak App"), "weak.pem")  # fmt: skip

    ssl.ca_signed("rsa.key", "Expired App", "expired.pem",
                  now - timedelta(days=800), now - timedelta(days=35))  # fmt: skip
    add(PfxCase("expired", ssl.pkcs12("expired.pfx", "-inkey", "rsa.key", "-in", "expired.pem"),
                PASSWORD, warning="expired on",
                subject_cn="Expired App"), "expired.pem")  # fmt: skip
    ssl.ca_signed("rsa.key", "Future App", "future.pem",
                  now + timedelta(days=20), now + timedelta(days=400))  # fmt: skip
    add(PfxCase("not_yet_valid", ssl.pkcs12("future.pfx", "-inkey", "rsa.key", "-in",
                "future.pem"), PASSWORD, warning="not valid until",
                subject_cn="Future App"), "future.pem")  # fmt: skip
    ssl.self_signed("rsa.key", "Soon App", "soon.pem", days=10)
    add(PfxCase("near_expiry", ssl.pkcs12("soon.pfx", "-inkey", "rsa.key", "-in", "soon.pem"),
                PASSWORD, warning="expires in", subject_cn="Soon App"), "soon.pem")  # fmt: skip

    # A chain: root CA -> intermediate CA -> leaf, all in the file.
    ssl.rsa_key("root.key")
    ssl("req", "-x509", "-new", "-key", "root.key", "-subj", "/CN=Contoso Root CA",
        "-days", "3650", "-out", "root.pem",
        "-addext", "basicConstraints=critical,CA:TRUE")  # fmt: skip
    ssl.rsa_key("inter.key")
    ssl("req", "-new", "-key", "inter.key", "-subj", "/CN=Contoso Issuing CA", "-out", "inter.csr")
    (folder / "ca.ext").write_text("basicConstraints=critical,CA:TRUE\n")
    (folder / "leaf.ext").write_text("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
    ssl("x509", "-req", "-in", "inter.csr", "-CA", "root.pem", "-CAkey", "root.key",
        "-CAcreateserial", "-days", "1825", "-extfile", "ca.ext", "-out", "inter.pem")  # fmt: skip
    ssl.rsa_key("leaf.key", 3072)
    ssl("req", "-new", "-key", "leaf.key", "-subj", "/CN=Chained App", "-out", "leaf.csr")
    ssl("x509", "-req", "-in", "leaf.csr", "-CA", "inter.pem", "-CAkey", "inter.key",
        "-CAcreateserial", "-days", "365", "-extfile", "leaf.ext", "-out", "leaf.pem")  # fmt: skip
    (folder / "chain.pem").write_text(
        (folder / "inter.pem").read_text() + (folder / "root.pem").read_text()
    )
    add(PfxCase("chain", ssl.pkcs12("chain.pfx", "-inkey", "leaf.key", "-in", "leaf.pem",
                "-certfile", "chain.pem"), PASSWORD, chain_length=3, key_size=3072,
                subject_cn="Chained App", extra={"issuer_cn": "Contoso Issuing CA"}),
        "leaf.pem")  # fmt: skip

    modern = (folder / "modern.pfx").read_bytes()
    (folder / "truncated.pfx").write_bytes(modern[: len(modern) // 2])
    add(PfxCase("truncated", folder / "truncated.pfx", PASSWORD, error="is damaged"))
    (folder / "random.pfx").write_bytes(os.urandom(2048))
    add(PfxCase("random_bytes", folder / "random.pfx", PASSWORD, error="not a PKCS#12"))
    shutil.copy(folder / "rsa.pem", folder / "renamed-pem.pfx")
    add(PfxCase("pem_renamed", folder / "renamed-pem.pfx", PASSWORD,
                error="certificate without its private key; you need the .pfx"))  # fmt: skip
    ssl("x509", "-in", "rsa.pem", "-outform", "DER", "-out", "renamed-der.pfx")
    add(PfxCase("der_renamed", folder / "renamed-der.pfx", None,
                error="certificate without its private key; you need the .pfx"))  # fmt: skip
    (folder / "empty.pfx").write_bytes(b"")
    add(PfxCase("empty_file", folder / "empty.pfx", None, error="The file is empty"))
    return cases


@pytest.fixture(scope="session")
def pfx_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PfxCase]:
    """The corpus, made once per test session (skipped only where openssl is missing)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command line is not installed")
    return build_corpus(tmp_path_factory.mktemp("pfx-corpus"))
