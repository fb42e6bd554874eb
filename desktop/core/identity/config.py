"""Which client IDs the app uses: the technician's sign-in app and each app type's publisher
app. They are configuration (Settings, or the catalog override file), never code."""

from __future__ import annotations

import uuid

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.deadline import bounded_http_client
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


def _where(paths: DataPaths | None, key: str) -> str:
    settings = f"the settings file {paths.settings}" if paths else "Settings"
    override = (
        f"the catalog override file {paths.catalog_override}"
        if paths
        else ("the catalog override file")
    )
    return f"Settings ({key} in {settings}) or {override}"


def sign_in_client_id(
    settings_value: str, catalog: Catalog | None, paths: DataPaths | None = None
) -> str:
    """The technician sign-in app's client ID: Settings first, then the catalog override."""
    value = settings_value.strip() or ((catalog.sign_in_client_id or "") if catalog else "")
    where = _where(paths, "sign_in_client_id")
    if not value:
        raise UserError(
            "No client ID is set for the technician sign-in app.",
            remedy=f"Set the sign-in app's client ID in {where}.",
        )
    return _checked(value, "the technician sign-in app", where)


def publisher_client_id(
    app_type: AppType, settings_ids: dict[str, str], paths: DataPaths | None = None
) -> str:
    """An app type's publisher client ID: Settings override first, then the catalog's."""
    value = (settings_ids.get(app_type.id) or app_type.client_id or "").strip()
    where = _where(paths, f"client_ids → {app_type.id}")
    if not value:
        raise UserError(
            f"No client ID is set for the app “{app_type.name}”.",
            remedy=f"Set it in {where}; your organization's Entra app registration shows it.",
        )
    return _checked(value, f"the app “{app_type.name}”", where)


def msal_options(endpoints: Endpoints) -> dict[str, object]:
    """MSAL constructor options: an HTTP client held to the command's deadline (MSAL's own
    has no timeout at all), and no instance discovery for a private host."""
    options: dict[str, object] = {"http_client": bounded_http_client()}
    if endpoints.authority_host.lower() not in _MICROSOFT_HOSTS:
        options["instance_discovery"] = False
    return options
