"""The looked-up tenant's display name, from Graph's findTenantInformationByDomainName with the
technician's token (the sandbox's Graph over real HTTP); never a failed look-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop.core.domain import Cloud
from desktop.core.endpoints import GRAPH_ENV
from desktop.core.tenant_name import display_name_of, find_tenant_path, read_display_name
from desktop.sandbox.directory import Directory
from tests.helpers.tenant_info_graph import (
    SignedInTechnician,
    TenantInfoGraph,
    tenant_info_graph,
)

CROSS_TENANT = "CrossTenantInformation.ReadBasic.All"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[TenantInfoGraph]:
    directory = Directory()
    msp = directory.add_tenant("msp.example", "MSP")
    directory.add_tenant("contoso.com", "Contoso, Ltd")
    with tenant_info_graph(directory) as graph:
        claims: dict[str, Any] = {"tid": msp.tenant_id, "aud": "https://graph.microsoft.com"}
        graph.tokens["granted"] = {**claims, "scp": f"User.Read {CROSS_TENANT}"}
        graph.tokens["plain"] = {**claims, "scp": "User.Read"}
        monkeypatch.setenv(GRAPH_ENV, graph.url)
        yield graph


def _technician(served: TenantInfoGraph, token: str | None) -> Any:
    msp = next(t for t in served.directory.tenants.values() if t.domain == "msp.example")
    return SignedInTechnician(msp.tenant_id, token)


def test_a_signed_in_technician_gets_the_name(served: TenantInfoGraph) -> None:
    technician = _technician(served, "granted")
    assert display_name_of("Contoso.com", Cloud.GLOBAL, technician) == "Contoso, Ltd"


def test_no_sign_in_means_no_name(served: TenantInfoGraph) -> None:
    assert display_name_of("contoso.com", Cloud.GLOBAL, _technician(served, None)) is None
    assert display_name_of("contoso.com", Cloud.GLOBAL, None) is None


def test_a_refused_or_unknown_name_is_none_not_an_error(served: TenantInfoGraph) -> None:
    assert read_display_name("contoso.com", "plain") is None  # 403: permission not granted
    assert read_display_name("nobody.example", "granted") is None  # 404
    assert read_display_name("contoso.com", "expired") is None  # 401


def test_graph_unreachable_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GRAPH_ENV, "http://127.0.0.1:9")
    assert read_display_name("contoso.com", "granted", timeout_s=2) is None


def test_national_clouds_are_not_asked(served: TenantInfoGraph) -> None:
    # Microsoft documents the function for the worldwide cloud only.
    technician = _technician(served, "granted")
    assert display_name_of("contoso.com", Cloud.USGOV, technician) is None


def test_the_path_is_graphs_function_call() -> None:
    assert find_tenant_path("Contoso.COM") == (
        "tenantRelationships/findTenantInformationByDomainName(domainName='contoso.com')"
    )
