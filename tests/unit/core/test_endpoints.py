"""Cloud hosts and their environment overrides."""

from __future__ import annotations

import pytest

from desktop.core.domain import Cloud
from desktop.core.endpoints import endpoints_for


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
