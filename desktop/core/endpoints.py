"""Which hosts a tenant's cloud uses, with the environment overrides for a sandbox or a proxy.

``APP_PROFILES_AUTHORITY_HOST`` and ``APP_PROFILES_GRAPH_HOST`` replace the cloud's sign-in and
Graph hosts (e.g. ``https://127.0.0.1:8443``). A per-cloud variant, the variable name with the
cloud appended (``APP_PROFILES_AUTHORITY_HOST_USGOV``, ``APP_PROFILES_GRAPH_HOST_USGOV_DOD``,
``..._CHINA``), wins for that cloud; without one, the plain variable applies to every cloud.
``REQUESTS_CA_BUNDLE`` is honoured by requests itself.
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
    #: The cloud these hosts serve (client IDs are per cloud).
    cloud: Cloud = Cloud.GLOBAL

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


def cloud_variable(name: str, cloud: Cloud) -> str:
    """The per-cloud variant of the environment variable *name* (the plain one for Global)."""
    if cloud is Cloud.GLOBAL:
        return name
    return f"{name}_{cloud.value.upper().replace('-', '_')}"


def _override(name: str, cloud: Cloud) -> str:
    own = os.environ.get(cloud_variable(name, cloud), "").strip()
    return own or os.environ.get(name, "").strip()


def endpoints_for(cloud: Cloud = Cloud.GLOBAL) -> Endpoints:
    """The hosts of *cloud*, with the environment overrides applied."""
    hosts = CLOUD_HOSTS[cloud]
    authority = _override(AUTHORITY_ENV, cloud) or hosts.authority
    graph = _override(GRAPH_ENV, cloud) or hosts.graph
    return Endpoints(authority.rstrip("/"), graph.rstrip("/"), cloud)


PARTNER_CENTER_ENV = "APP_PROFILES_PARTNER_CENTER_HOST"
PARTNER_CENTER_HOST = "https://api.partnercenter.microsoft.com"


def partner_center_host() -> str:
    """The Partner Center API host (``APP_PROFILES_PARTNER_CENTER_HOST`` overrides it). Its
    token's scope is ``{host}/user_impersonation``, as Graph's is ``{graph host}/.default``."""
    return (os.environ.get(PARTNER_CENTER_ENV, "").strip() or PARTNER_CENTER_HOST).rstrip("/")
