"""Cloud hosts and their environment overrides."""

from __future__ import annotations

import pytest

from desktop.core.domain import Cloud
from desktop.core.endpoints import cloud_variable, endpoints_for


def test_each_cloud_has_its_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PROFILES_AUTHORITY_HOST", raising=False)
    monkeypatch.delenv("APP_PROFILES_GRAPH_HOST", raising=False)
    assert endpoints_for(Cloud.GLOBAL).authority_host == "https://login.microsoftonline.com"
    assert endpoints_for(Cloud.USGOV).graph_host == "https://graph.microsoft.us"
    china = endpoints_for(Cloud.CHINA)
    assert china.authority("contoso.cn") == "https://login.chinacloudapi.cn/contoso.cn"
    assert china.graph_default_scope == "https://microsoftgraph.chinacloudapi.cn/.default"


def test_environment_overrides_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PROFILES_AUTHORITY_HOST", "https://127.0.0.1:8443/")
    monkeypatch.setenv("APP_PROFILES_GRAPH_HOST", "https://127.0.0.1:8444")
    ep = endpoints_for(Cloud.USGOV)
    assert ep.admin_consent_url("t") == "https://127.0.0.1:8443/t/v2.0/adminconsent"
    assert ep.graph("/organization") == "https://127.0.0.1:8444/v1.0/organization"


def test_dod_has_its_own_graph_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PROFILES_AUTHORITY_HOST", raising=False)
    monkeypatch.delenv("APP_PROFILES_GRAPH_HOST", raising=False)
    dod = endpoints_for(Cloud.USGOV_DOD)
    assert dod.authority_host == "https://login.microsoftonline.us"
    assert dod.graph_host == "https://dod-graph.microsoft.us"
    assert dod.cloud is Cloud.USGOV_DOD


def test_a_per_cloud_override_wins_for_its_cloud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PROFILES_AUTHORITY_HOST", "https://127.0.0.1:1")
    monkeypatch.setenv("APP_PROFILES_GRAPH_HOST", "https://127.0.0.1:1")
    monkeypatch.setenv("APP_PROFILES_AUTHORITY_HOST_USGOV_DOD", "https://127.0.0.1:2")
    monkeypatch.setenv("APP_PROFILES_GRAPH_HOST_USGOV_DOD", "https://127.0.0.1:3")
    assert cloud_variable("APP_PROFILES_GRAPH_HOST", Cloud.CHINA) == "APP_PROFILES_GRAPH_HOST_CHINA"
    dod = endpoints_for(Cloud.USGOV_DOD)
    assert (dod.authority_host, dod.graph_host) == ("https://127.0.0.1:2", "https://127.0.0.1:3")
    # Without its own variant a cloud keeps the plain override (as before).
    china = endpoints_for(Cloud.CHINA)
    assert (china.authority_host, china.graph_host) == (
        "https://127.0.0.1:1",
        "https://127.0.0.1:1",
    )


def test_partner_center_host_has_an_override(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.endpoints import PARTNER_CENTER_ENV, partner_center_host
    from desktop.core.identity.partner_center import consent_url, user_impersonation_scope

    monkeypatch.delenv(PARTNER_CENTER_ENV, raising=False)
    assert partner_center_host() == "https://api.partnercenter.microsoft.com"
    monkeypatch.setenv(PARTNER_CENTER_ENV, "https://127.0.0.1:8443/pc/")
    assert consent_url("t1") == "https://127.0.0.1:8443/pc/v1/customers/t1/applicationconsents"
    assert user_impersonation_scope() == "https://127.0.0.1:8443/pc/user_impersonation"
