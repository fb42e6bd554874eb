"""Which hosts a tenant's cloud uses, with the environment overrides for a sandbox or a proxy.

``APP_PROFILES_AUTHORITY_HOST`` and ``APP_PROFILES_GRAPH_HOST`` replace the cloud's sign-in and
Graph hosts (e.g. ``https://127.0.0.1:8443``). ``REQUESTS_CA_BUNDLE`` is honoured by requests
itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from desktop.core.domain import CLOUD_HOSTS, Cloud

AUTHORITY_ENV = "APP_PROFILES_AUTHORITY_HOST"
GRAPH_ENV = "APP_PROFILES_GRAPH_HOST"


@dataclass(frozen=True)
class Endpoints:
    """The sign-in (authority) host and Graph host for one cloud, without trailing slashes."""

    authority_host: str
    graph_host: str

    def authority(self, tenant: str) -> str:
        """The MSAL authority URL for *tenant* (GUID, domain, or ``organizations``)."""
        return f"{self.authority_host}/{tenant}"

    def admin_consent_url(self, tenant: str) -> str:
        return f"{self.authority_host}/{tenant}/v2.0/adminconsent"

    def openid_configuration_url(self, tenant: str) -> str:
        return f"{self.authority_host}/{tenant}/v2.0/.well-known/openid-configuration"

    @property
    def graph_default_scope(self) -> str:
        return f"{self.graph_host}/.default"

    def graph(self, path: str, version: str = "v1.0") -> str:
        return f"{self.graph_host}/{version}/{path.lstrip('/')}"


def endpoints_for(cloud: Cloud = Cloud.GLOBAL) -> Endpoints:
    """The hosts of *cloud*, with the environment overrides applied."""
    hosts = CLOUD_HOSTS[cloud]
    authority = os.environ.get(AUTHORITY_ENV, "").strip() or hosts.authority
    graph = os.environ.get(GRAPH_ENV, "").strip() or hosts.graph
    return Endpoints(authority.rstrip("/"), graph.rstrip("/"))
