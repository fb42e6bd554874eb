"""Each cloud's OpenID configuration says what Microsoft's says, and a tenant or app of one
cloud does not exist in another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import Sandbox
from desktop.sandbox.demo import populate

GCCH = "contosogov.onmicrosoft.us"
DOD = "contosodod.onmicrosoft.us"
CHINA = "contosocn.partner.onmschina.cn"
CN_GRAPH = "microsoftgraph.chinacloudapi.cn"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path) as running:
        populate(running, ())
        yield running


@pytest.mark.parametrize(
    ("login", "tenant", "instance", "scope", "sub_scope", "graph"),
    [
        ("global", "contoso.onmicrosoft.com", "microsoftonline.com", "NA", None,
         "graph.microsoft.com"),
        ("usgov", GCCH, "microsoftonline.us", "USGov", "DODCON", "graph.microsoft.us"),
        ("usgov", DOD, "microsoftonline.us", "USGov", "DOD", "dod-graph.microsoft.us"),
        ("china", CHINA, "partner.microsoftonline.cn", "AS", None, CN_GRAPH),
    ],
)  # fmt: skip
def test_the_configuration_names_the_tenant_s_cloud(
    sandbox: Sandbox,
    login: str,
    tenant: str,
    instance: str,
    scope: str,
    sub_scope: str | None,
    graph: str,
) -> None:
    status, _headers, body = sandbox.issuers[login].openid_configuration(tenant)
    assert status == 200
    assert body["cloud_instance_name"] == instance
    assert body["tenant_region_scope"] == scope
    assert body.get("tenant_region_sub_scope") == sub_scope
    assert body["msgraph_host"] == graph
    assert body["token_endpoint"].startswith(sandbox.issuers[login].base_url)


def test_the_worldwide_host_finds_a_us_government_tenant_and_names_its_cloud(
    sandbox: Sandbox,
) -> None:
    status, _headers, body = sandbox.issuers["global"].openid_configuration(GCCH)
    assert status == 200 and body["cloud_instance_name"] == "microsoftonline.us"
    # ... and points at the US Government host, where the tenant signs in.
    assert body["token_endpoint"].startswith(sandbox.issuers["usgov"].base_url)


def test_china_is_apart(sandbox: Sandbox) -> None:
    status, _headers, body = sandbox.issuers["global"].openid_configuration(CHINA)
    assert status == 400 and body["error_codes"] == [90002]
    status, _headers, body = sandbox.issuers["china"].openid_configuration(GCCH)
    assert status == 400 and body["error_codes"] == [90002]


def test_tokens_are_issued_only_by_the_tenant_s_own_cloud(sandbox: Sandbox) -> None:
    form = {"client_id": "00000000-0000-4000-8000-000000000001", "grant_type": "refresh_token"}
    status, _headers, body = sandbox.issuers["global"].token(GCCH, form)
    assert status == 400 and body["error_codes"] == [90002]


def test_an_app_of_one_cloud_is_unknown_in_another(sandbox: Sandbox) -> None:
    gcch_sign_in = next(a.client_id for a in sandbox.directory.apps.values() if a.cloud == "usgov")
    assert sandbox.issuers["usgov"].app(gcch_sign_in) is not None
    assert sandbox.issuers["global"].app(gcch_sign_in) is None
    form = {"client_id": gcch_sign_in, "grant_type": "refresh_token", "refresh_token": "x"}
    status, _headers, body = sandbox.issuers["china"].token(CHINA, form)
    assert status == 400 and body["error_codes"] == [700016]
