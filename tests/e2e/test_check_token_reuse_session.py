"""One process's checks share their tokens, as the window's session does: a second "Check all"
of a custom-mode profile asks the identity platform for no token, a re-authorization's check
asks for fresh ones. The profile is made with the CLI; the checks run in this process through
the core services the window builds."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.services import CoreServices
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox

pytestmark = pytest.mark.e2e

BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-0000000c7e53"


@pytest.fixture
def session(cli_sandbox: CliSandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[CoreServices]:
    box = cli_sandbox
    cert, pfx = app_certificate("contoso custom app")
    app_type = load_catalog().catalog.app_type(BASELINE)
    box.sandbox.scenario.register_app_type(
        app_type, CUSTOM_APP_ID, certificates=[cert], home_tenant=box.demo.tenant_id
    )
    for role in app_type.directory_roles:
        box.sandbox.scenario.assign_directory_role(box.demo.tenant_id, CUSTOM_APP_ID, role.name)
    pfx_file = box.folder / "custom.pfx"
    pfx_file.write_bytes(pfx)
    made = box.cli(
        "consent", "--customer", CUSTOMER, "--tenant", box.demo.domain,
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx_file), "--password-stdin", input_text="pw\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    for key, value in box.env().items():
        monkeypatch.setenv(key, value)
    previous: KeyringBackend = keyring.get_keyring()
    keyring.set_keyring(box.keyring)
    try:
        yield CoreServices(DataPaths(box.home))
    finally:
        keyring.set_keyring(previous)


def _tokens(box: CliSandbox) -> int:
    return box.sandbox.traffic.counts().get("token", 0)


def test_a_second_check_all_in_one_session_asks_for_no_token(
    cli_sandbox: CliSandbox, session: CoreServices
) -> None:
    box = cli_sandbox
    box.sandbox.traffic.reset()
    first = session.check_service().check(None)
    assert [r.status.value for r in first.results] == ["Valid"], first.results
    asked = _tokens(box)
    assert asked >= 1
    second = session.check_service().check(None)  # the window builds a service per run
    assert [r.status.value for r in second.results] == ["Valid"]
    assert _tokens(box) == asked
    # The check after a re-authorization asks for fresh tokens.
    session.reauthorization().service.check(None)
    assert _tokens(box) == 2 * asked
    # So does checking one profile again.
    (result,) = second.results
    session.check_service().check([result.id], fresh_tokens=True)
    assert _tokens(box) == 3 * asked
