"""Which client IDs the app uses: the technician's sign-in app and each app type's publisher
app. They are configuration (Settings, or the catalog override file), never code.

Client IDs are per cloud: an app registered in the Global cloud is unknown in US Government
or China ("register your application separately in each Azure portal"). The single values of
Settings and the override are the Global ones; national clouds have their own entries.
"""

from __future__ import annotations

import uuid

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.deadline import bounded_http_client
from desktop.core.domain import Cloud
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths

_MICROSOFT_HOSTS = (
    "https://login.microsoftonline.com",
    "https://login.microsoftonline.us",
    "https://login.chinacloudapi.cn",
)


def _checked(value: str, what: str, where: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise UserError(
            f"The client ID for {what} is not a GUID: “{value}”.",
            remedy=f"Correct it in {where}.",
        ) from None


def _in_cloud(cloud: Cloud) -> str:
    return "" if cloud is Cloud.GLOBAL else f" in the {cloud.label} cloud"


def _national_note(cloud: Cloud) -> str:
    if cloud is Cloud.GLOBAL:
        return ""
    return (
        f" The {cloud.label} cloud needs its own app registration: a Global client ID is "
        "unknown there."
    )


def _where(paths: DataPaths | None, key: str) -> str:
    settings = f"the settings file {paths.settings}" if paths else "Settings"
    override = (
        f"the catalog override file {paths.catalog_override}"
        if paths
        else ("the catalog override file")
    )
    return f"Settings ({key} in {settings}) or {override}"


def sign_in_client_id(
    settings_value: str,
    catalog: Catalog | None,
    paths: DataPaths | None = None,
    cloud: Cloud = Cloud.GLOBAL,
) -> str:
    """The technician sign-in app's client ID in *cloud*: Settings first (*settings_value* is
    that cloud's), then the catalog override."""
    fallback = (catalog.sign_in_client_id_in(cloud.value) or "") if catalog else ""
    value = settings_value.strip() or fallback
    key = (
        "sign_in_client_id"
        if cloud is Cloud.GLOBAL
        else f"cloud_sign_in_client_ids → {cloud.value}"
    )
    where = _where(paths, key)
    if not value:
        raise UserError(
            f"No client ID is set for the technician sign-in app{_in_cloud(cloud)}.",
            remedy=f"Set the sign-in app's client ID in {where}.{_national_note(cloud)}",
        )
    return _checked(value, f"the technician sign-in app{_in_cloud(cloud)}", where)


def publisher_client_id(
    app_type: AppType,
    settings_ids: dict[str, str],
    paths: DataPaths | None = None,
    cloud: Cloud = Cloud.GLOBAL,
    catalog: Catalog | None = None,
) -> str:
    """An app type's publisher client ID in *cloud*: Settings first (*settings_ids* are that
    cloud's), then the catalog's (the app type's own for Global, the override's per cloud)."""
    if catalog is not None:
        shipped = catalog.client_id_in(app_type, cloud.value)
    else:
        shipped = app_type.client_id if cloud is Cloud.GLOBAL else None
    value = (settings_ids.get(app_type.id) or shipped or "").strip()
    key = (
        f"client_ids → {app_type.id}"
        if cloud is Cloud.GLOBAL
        else f"cloud_client_ids → {cloud.value} → {app_type.id}"
    )
    where = _where(paths, key)
    if not value:
        raise UserError(
            f"No client ID is set for the app “{app_type.name}”{_in_cloud(cloud)}.",
            remedy=f"Set it in {where}; your organization's Entra app registration shows it."
            + _national_note(cloud),
        )
    return _checked(value, f"the app “{app_type.name}”{_in_cloud(cloud)}", where)


def msal_options(endpoints: Endpoints) -> dict[str, object]:
    """MSAL constructor options: an HTTP client held to the command's deadline (MSAL's own
    has no timeout at all), and no instance discovery for a private host."""
    options: dict[str, object] = {"http_client": bounded_http_client()}
    if endpoints.authority_host.lower() not in _MICROSOFT_HOSTS:
        options["instance_discovery"] = False
    return options
