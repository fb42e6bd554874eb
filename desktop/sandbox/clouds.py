"""The Microsoft clouds the sandbox serves, as Microsoft documents them.

A tenant lives in one cloud, and an app registration exists in one cloud only ("register your
application separately in each Azure portal"). US Government GCC High and DoD share one sign-in
host (``login.microsoftonline.us``) and differ in their Graph host; the tenant's OpenID
configuration tells them apart by ``tenant_region_sub_scope`` (``DODCON`` for GCC High, ``DOD``
for DoD). GCC (moderate) tenants use the worldwide endpoints.
"""

from __future__ import annotations

from typing import NamedTuple


class SandboxCloud(NamedTuple):
    """One cloud: where it signs in, its Graph, and what its OpenID configuration says."""

    name: str  # the app's cloud value: global, usgov, usgov-dod, china
    login: str  # which sign-in host serves it: global, usgov, china
    authority_host: str
    graph_host: str
    cloud_instance_name: str
    tenant_region_scope: str
    tenant_region_sub_scope: str | None


CLOUDS: dict[str, SandboxCloud] = {
    c.name: c
    for c in (
        SandboxCloud(
            "global",
            "global",
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
            "microsoftonline.com",
            "NA",
            None,
        ),
        SandboxCloud(
            "usgov",
            "usgov",
            "https://login.microsoftonline.us",
            "https://graph.microsoft.us",
            "microsoftonline.us",
            "USGov",
            "DODCON",
        ),
        SandboxCloud(
            "usgov-dod",
            "usgov",
            "https://login.microsoftonline.us",
            "https://dod-graph.microsoft.us",
            "microsoftonline.us",
            "USGov",
            "DOD",
        ),
        SandboxCloud(
            "china",
            "china",
            "https://login.chinacloudapi.cn",
            "https://microsoftgraph.chinacloudapi.cn",
            "partner.microsoftonline.cn",
            "AS",
            None,
        ),
    )
}

#: The sign-in hosts, each serving one or more clouds.
LOGINS = ("global", "usgov", "china")

#: Sign-in hosts that answer OpenID discovery for each other's tenants (the worldwide and the
#: US Government Entra share tenant discovery; China is operated apart and knows neither).
_SHARED_DISCOVERY = frozenset({"global", "usgov"})


def login_of(cloud: str) -> str:
    """The sign-in host (``global``, ``usgov`` or ``china``) that serves *cloud*."""
    return CLOUDS[cloud].login


def discovers(login: str, tenant_cloud: str) -> bool:
    """Whether the sign-in host *login* answers the OpenID configuration of a tenant there."""
    other = login_of(tenant_cloud)
    return other == login or {other, login} <= _SHARED_DISCOVERY
