"""``app-profiles-cli consent`` as a subprocess, end to end: the sandbox over TLS, MSAL
unpatched, the browser stand-in as ``BROWSER``, the real SQLite store and the vault."""

from __future__ import annotations

import json
import subprocess

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.vault import SERVICE
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox, secret_service_missing
from tests.helpers.file_keyring import keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.inventory import open_inventory
from tests.helpers.keyrings import vault_account

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"


def _consent(box: CliSandbox, *extra: str, **kwargs: str) -> subprocess.CompletedProcess[str]:
    return box.cli(
        "consent",
        "--customer",
        CUSTOMER,
        "--tenant",
        box.demo.domain,
        "--service",
        "Baseline management",
        "--timeout",
        "30",
        "--format",
        "json",
        *extra,
        **kwargs,
    )


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The error line: all of stderr (progress is shown only to a terminal)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_admin_consent_saves_the_profile_with_its_first_status(cli_sandbox: CliSandbox) -> None:
    result = _consent(cli_sandbox)
    assert result.returncode == 0, result.stderr
    listed = cli_sandbox.profiles()
    assert len(listed) == 1
    profile = listed[0]
    assert profile["customer"] == CUSTOMER
    assert profile["tenant_id"] == cli_sandbox.demo.tenant_id
    assert profile["app_type"] == BASELINE and profile["mode"] == "modern"
    # Nobody signed in to the tenant, so Graph could not verify the grant: Unknown, and why.
    assert profile["status"] == "Unknown"
    assert "no technician is signed in" in profile["reason"]
    assert profile["last_checked"]
    assert cli_sandbox.sandbox.pages.consents_granted == 1
    shown = cli_sandbox.cli("profiles", "show", str(profile["id"]), "--format", "json")
    history = [e["kind"] for e in json.loads(shown.stdout)["history"]]
    assert history == ["created", "consented", "checked"]


def test_signed_in_technician_verifies_through_graph(cli_sandbox: CliSandbox) -> None:
    signin = cli_sandbox.cli("signin", "--tenant", cli_sandbox.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    assert cli_sandbox.demo.admin in signin.stdout
    assert cli_sandbox.keyring.accounts(SERVICE) == [vault_account(cli_sandbox.home, "token-cache")]
    result = _consent(cli_sandbox)
    assert result.returncode == 0, result.stderr
    (profile,) = cli_sandbox.profiles()
    assert profile["status"] == "Valid", profile
    signout = cli_sandbox.cli("signout")
    assert signout.returncode == 0, signout.stderr
    assert cli_sandbox.keyring.accounts(SERVICE) == []
    assert not (cli_sandbox.home / "vault" / "token-cache.bin").exists()


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("decline", "declined"),
        ("reply-tenant", "different tenant"),
        # Microsoft shows another tenant's account on its sign-in page; nothing comes back.
        ("other-admin", "No answer came from the browser"),
        ("walk-away", "No answer came from the browser"),
    ],
)
def test_failed_consent_exits_2_and_saves_nothing(
    cli_sandbox: CliSandbox, setup: str, words: str
) -> None:
    kwargs = {}
    timeout = "30"
    if setup == "decline":
        kwargs["decision"] = "cancel"
    elif setup == "reply-tenant":
        cli_sandbox.sandbox.scenario.set_reply_tenant(cli_sandbox.demo.other_tenant_id)
    elif setup == "other-admin":
        kwargs["upn"] = cli_sandbox.demo.other_admin
        timeout = "2"
    else:
        kwargs["decision"] = "none"
        timeout = "2"
    result = _consent(cli_sandbox, "--timeout", timeout, **kwargs)
    assert result.returncode == 2, result.stderr
    assert words in _last_line(result)
    assert result.stdout == ""
    assert cli_sandbox.profiles() == []


def _register_custom_app(box: CliSandbox) -> bytes:
    """Register the customer's own app with a certificate; returns that certificate's .pfx."""
    cert, pfx = app_certificate("contoso custom app")
    app_type = load_catalog().catalog.app_type(BASELINE)
    box.sandbox.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=box.demo.tenant_id
    )
    return pfx


def test_custom_mode_stores_the_certificate_in_the_vault(cli_sandbox: CliSandbox) -> None:
    pfx = _register_custom_app(cli_sandbox)
    pfx_file = cli_sandbox.folder / "custom.pfx"
    pfx_file.write_bytes(pfx)
    result = _consent(
        cli_sandbox,
        "--mode", "custom", "--app-id", CUSTOM_APP_ID, "--pfx", str(pfx_file), "--password-stdin",
        input_text="pw\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (profile,) = cli_sandbox.profiles()
    assert profile["mode"] == "custom" and profile["status"] == "Valid", profile
    saved = open_inventory(cli_sandbox.home).profiles.details(profile["id"]).profile
    assert saved.custom_app_id == CUSTOM_APP_ID
    ref = saved.certificate_ref
    assert ref.startswith("cert-")
    assert cli_sandbox.keyring.accounts(SERVICE) == [vault_account(cli_sandbox.home, ref)]
    assert [p.stem for p in (cli_sandbox.home / "vault").glob("*.bin")] == [ref]
    # Deleting the profile takes its certificate with it.
    deleted = cli_sandbox.cli("profiles", "delete", str(profile["id"]), "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert cli_sandbox.keyring.accounts(SERVICE) == []
    assert list((cli_sandbox.home / "vault").glob("*.bin")) == []


def test_custom_mode_with_a_mismatching_certificate_saves_nothing(
    cli_sandbox: CliSandbox,
) -> None:
    _register_custom_app(cli_sandbox)
    _, other_pfx = app_certificate("another certificate")
    pfx_file = cli_sandbox.folder / "other.pfx"
    pfx_file.write_bytes(other_pfx)
    result = _consent(
        cli_sandbox,
        "--mode", "custom", "--app-id", CUSTOM_APP_ID, "--pfx", str(pfx_file), "--password-stdin",
        input_text="pw\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert "does not accept this certificate" in _last_line(result)
    assert cli_sandbox.profiles() == []
    assert cli_sandbox.keyring.accounts(SERVICE) == []
    assert list((cli_sandbox.home / "vault").glob("*.bin")) == []
    assert cli_sandbox.sandbox.pages.consents_granted == 0  # the admin was not bothered


def test_consent_link_names_the_tenant_and_the_publisher_app(cli_sandbox: CliSandbox) -> None:
    result = cli_sandbox.cli(
        "consent-link", "--customer", CUSTOMER, "--tenant", cli_sandbox.demo.domain,
        "--service", "baseline MANAGEMENT",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert link.startswith(
        f"{cli_sandbox.sandbox.authority_host}/{cli_sandbox.demo.tenant_id}/v2.0/adminconsent?"
    )
    assert f"client_id={cli_sandbox.demo.client_ids[BASELINE]}" in link
    assert cli_sandbox.profiles() == []


def test_custom_mode_with_a_locked_keyring_stores_nothing(cli_sandbox: CliSandbox) -> None:
    pfx_file = cli_sandbox.folder / "custom.pfx"
    pfx_file.write_bytes(_register_custom_app(cli_sandbox))
    env = {**cli_sandbox.env(), **keyring_env(cli_sandbox.keyring_file, locked=True)}
    result = run_module(
        "desktop.cli",
        [
            "consent", "--customer", CUSTOMER, "--tenant", cli_sandbox.demo.tenant_id,
            "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
            "--pfx", str(pfx_file), "--password-stdin", "--timeout", "30",
        ],
        env=env,
        input_text="pw\n",
    )  # fmt: skip
    assert result.returncode == 2
    line = _last_line(result)
    assert "keyring is locked" in line and "Nothing was stored" in line
    assert cli_sandbox.profiles() == []
    assert not (cli_sandbox.home / "vault").exists() or not any(
        (cli_sandbox.home / "vault").iterdir()
    )


@pytest.mark.skipif(
    bool(secret_service_missing()), reason="needs dbus-run-session and gnome-keyring"
)
def test_signin_consent_signout_with_the_real_secret_service(cli_sandbox: CliSandbox) -> None:
    """The token cache's key really lives in gnome-keyring between the processes."""
    demo = cli_sandbox.demo
    result = cli_sandbox.in_secret_service(
        [
            ["signin", "--tenant", demo.domain, "--timeout", "30", "--format", "json"],
            [
                "consent", "--customer", CUSTOMER, "--tenant", demo.domain,
                "--service", "Nitro", "--timeout", "30", "--format", "json",
            ],
            ["signout"],
            ["signout"],
        ]
    )  # fmt: skip
    exits = [line for line in result.stdout.splitlines() if line.startswith("exit ")]
    assert exits == ["exit 0"] * 4, result.stdout + result.stderr
    assert demo.admin in result.stdout
    assert "Traceback" not in result.stderr
    (profile,) = cli_sandbox.profiles()
    assert profile["app_type"] == "apelements-automation"
    assert profile["status"] == "Valid", profile  # verified with the signed-in technician
    assert not (cli_sandbox.home / "vault" / "token-cache.bin").exists()
    assert cli_sandbox.keyring.accounts(SERVICE) == []  # the test keyring was not used
