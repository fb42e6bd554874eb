"""The ``consent`` command end to end: the sandbox, the browser stand-in, the inventory port."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from desktop.cli import build_parser
from desktop.cli_commands import consent as consent_cmd
from desktop.core.domain import Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.paths import data_paths
from desktop.core.settings import Settings
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import BASELINE, DELEGATED_APP, catalog
from tests.helpers.inventory import FakeInventory
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


class _Ctx:
    def __init__(self, inventory: FakeInventory) -> None:
        self.paths = data_paths().ensure()
        self.catalog = catalog()
        self.inventory_port = inventory


@pytest.fixture
def ctx(sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, data_home: Path) -> _Ctx:
    inventory = FakeInventory(
        [Customer("Contoso Ltd", id=1), Customer("Fabrikam", id=2)],
        [
            Tenant(sandbox.demo.tenant_id, 1, sandbox.demo.domain),
            Tenant(sandbox.demo.other_tenant_id, 2, "fabrikam.onmicrosoft.com"),
        ],
    )
    context = _Ctx(inventory)
    Settings(
        sign_in_client_id=sandbox.demo.sign_in_client_id,
        client_ids={
            BASELINE.id: sandbox.demo.client_ids[BASELINE.id],
            DELEGATED_APP.id: sandbox.demo.client_ids[DELEGATED_APP.id],
        },
    ).save(context.paths.settings)
    monkeypatch.setattr(consent_cmd, "_inventory", lambda c: c.inventory_port)
    return context


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["consent", *argv])


def test_consent_saves_and_prints_the_profile(
    sandbox: RunningSandbox, ctx: _Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    code = consent_cmd.consent(
        _args(
            "--customer",
            "contoso ltd",
            "--tenant",
            sandbox.demo.domain,
            "--service",
            "Baseline Management",
            "--format",
            "json",
            "--timeout",
            "30",
        ),
        ctx,
        open_browser=browser,
    )  # type: ignore[arg-type]
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["customer"] == "Contoso Ltd"
    assert printed["app_type"] == BASELINE.id
    assert printed["name"] == f"Baseline management – {sandbox.demo.domain}"  # one pattern
    assert printed["status"] == "Unknown"  # nobody signed in to verify through Graph
    assert len(ctx.inventory_port.saved) == 1


@pytest.mark.parametrize(
    ("setup", "argv", "message"),
    [
        ("cancel", [], "declined"),
        # Shown on Microsoft's sign-in page, never sent back: the wait ends at the timeout.
        ("other-user", ["--timeout", "0.5"], "No answer came from the browser"),
        ("reply-tenant", [], "different tenant"),
        (None, ["--customer", "Fabrikam"], "belongs to Contoso Ltd"),
        (None, ["--service", "No such service"], "no service"),
        (None, ["--method", "user"], "needs admin consent"),
        (None, ["--mode", "custom"], "needs the app's certificate"),
        (None, ["--timeout", "0.3", "--walk-away"], "No answer came from the browser"),
    ],
)
def test_consent_failures_save_nothing(
    sandbox: RunningSandbox, ctx: _Ctx, setup: str | None, argv: list[str], message: str
) -> None:
    browser = StandInBrowser(
        sandbox.sandbox.ca_path, decision="cancel" if setup == "cancel" else "accept"
    )
    if setup == "other-user":
        browser.upn = sandbox.demo.other_admin
    if setup == "reply-tenant":
        sandbox.scenario.set_reply_tenant(sandbox.demo.other_tenant_id)
    if "--walk-away" in argv:
        argv = [a for a in argv if a != "--walk-away"]
        browser.decision = None
    base = {
        "--customer": "Contoso Ltd",
        "--tenant": sandbox.demo.tenant_id,
        "--service": "Baseline management",
        "--timeout": "30",
    }
    for flag, value in zip(argv[::2], argv[1::2], strict=False):
        base[flag] = value
    flat = [x for pair in base.items() for x in pair]
    flat += [a for a in argv if a.startswith("--") and a not in base]
    with pytest.raises(UserError) as caught:
        consent_cmd.consent(_args(*flat), ctx, open_browser=browser)  # type: ignore[arg-type]
    assert message in caught.value.one_line()
    if setup == "other-user":
        assert browser.last_response is not None and "AADSTS50020" in browser.last_response.text
    assert "\n" not in caught.value.one_line()
    assert ctx.inventory_port.saved == []


def test_consent_link_subcommand_parses(sandbox: RunningSandbox) -> None:
    args = build_parser().parse_args(
        ["consent-link", "--customer", "C", "--tenant", "t", "--service", "Baseline management"]
    )
    assert args.handler is consent_cmd.link


def test_cli_signin_without_a_client_id_says_where_to_set_it(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("signin", "--timeout", "1")
    assert result.returncode == 2
    assert "No client ID is set for the technician sign-in app" in result.stderr
    assert "settings.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
