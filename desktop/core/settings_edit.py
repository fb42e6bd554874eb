"""Editing Settings from the Settings screen and ``app-profiles-cli settings``: which values
can be set, how each typed value is checked, and where each value in use comes from.

Both front ends call these functions, so a value refused on one is refused on the other with
the same reason. A client ID set in Settings wins over the catalog's (see
:mod:`desktop.core.identity.config`), so :func:`current_values` reports the value in use and
its source: ``settings.json``, ``catalog-override.json``, the shipped catalog, or the default.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.settings import Settings

#: Where a value in use comes from.
FROM_SETTINGS = "settings.json"
FROM_OVERRIDE = "catalog-override.json"
FROM_SHIPPED = "shipped catalog"
FROM_DEFAULT = "default"
NOT_SET = "not set"

SIGN_IN_CLIENT_ID = "sign-in-client-id"
CLIENT_ID = "client-id"
CONSENT_TIMEOUT = "consent-timeout"
CHECK_CONCURRENCY = "check-concurrency"
CONSENT_LINK_REDIRECT_URI = "consent-link-redirect-uri"
BROWSER = "browser"

#: Bounds of the numbers: a consent needs time to sign in and read the page; more parallel
#: checks than this only meet Microsoft's throttling sooner.
TIMEOUT_RANGE = (30, 3600)
CONCURRENCY_RANGE = (1, 64)  # as the settings file allows


class InvalidValue(UserError):
    """A typed value is refused; ``message`` is the reason shown next to the field."""


@dataclass(frozen=True)
class SettingKey:
    """One settable value: its CLI name, its label, and whether it is per cloud / app type."""

    name: str
    label: str
    help: str
    per_cloud: bool = False
    per_app: bool = False


KEYS: tuple[SettingKey, ...] = (
    SettingKey(
        SIGN_IN_CLIENT_ID,
        "Sign-in app client ID",
        "the client ID (a GUID) of your organization's technician sign-in app",
        per_cloud=True,
    ),
    SettingKey(
        CLIENT_ID,
        "Client ID",
        "the client ID (a GUID) of your organization's publisher app of an app type",
        per_cloud=True,
        per_app=True,
    ),
    SettingKey(
        CONSENT_TIMEOUT,
        "Consent timeout (seconds)",
        f"how long a browser sign-in or consent may take, {TIMEOUT_RANGE[0]} to "
        f"{TIMEOUT_RANGE[1]} seconds",
    ),
    SettingKey(
        CHECK_CONCURRENCY,
        "Checks at once",
        f"how many profiles a bulk check works on at once, {CONCURRENCY_RANGE[0]} to "
        f"{CONCURRENCY_RANGE[1]}",
    ),
    SettingKey(
        CONSENT_LINK_REDIRECT_URI,
        "Consent-link redirect URI",
        "where a copied consent link sends the customer's administrator: an https page "
        "registered as a Web redirect URI on every publisher app (empty: "
        "http://localhost/consent, which their browser cannot open)",
    ),
    SettingKey(
        BROWSER,
        "Browser",
        "the browser sign-ins and consents open in: empty for the system default, or the path "
        "of a browser's program",
    ),
)

KEY_NAMES = tuple(k.name for k in KEYS)


@dataclass(frozen=True)
class SettingValue:
    """A value in use: which setting, for which cloud and app type, and where it comes from."""

    key: str
    value: str
    source: str
    cloud: str = ""
    app_type_id: str = ""
    app_type_label: str = ""

    @property
    def read_only(self) -> bool:
        """True when the organization's catalog override sets it (edit that file instead)."""
        return self.source == FROM_OVERRIDE


def key_named(name: str) -> SettingKey:
    """The setting called *name* (case-insensitive), or :class:`UserError` listing them."""
    wanted = name.strip().casefold().replace("_", "-")
    for key in KEYS:
        if key.name == wanted:
            return key
    raise UserError(f'There is no setting "{name}".', remedy="Use one of: " + ", ".join(KEY_NAMES))


def parse_guid(text: str) -> str:
    """*text* as a lower-case GUID, or :class:`InvalidValue` saying why not."""
    value = text.strip().strip("{}")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidValue(
            "Not a GUID: a client ID is 32 hex digits in five groups, "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.",
            remedy="Copy the Application (client) ID from the app's Overview page in Entra.",
        ) from None


def parse_url(text: str) -> str:
    """*text* as an http(s) URL with a host ("" stays ""), or :class:`InvalidValue`."""
    value = text.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidValue(
            "Not an http(s) address: it must start with https:// (or http://) and name a host.",
            remedy="Use the page registered as a Web redirect URI, e.g. https://example.com/ok.",
        )
    if parts.scheme.lower() == "http" and parts.hostname != "localhost":
        # Microsoft accepts http redirect URIs only for localhost.
        raise InvalidValue("Use https: Microsoft accepts http only for localhost.")
    if parts.fragment:
        raise InvalidValue("A redirect URI cannot contain a # fragment.")
    return value


def parse_bounded(text: str, low: int, high: int) -> int:
    """*text* as a whole number from *low* to *high*, or :class:`InvalidValue`."""
    try:
        number = int(text.strip())
    except ValueError:
        raise InvalidValue(f"Not a whole number: use {low} to {high}.") from None
    if not low <= number <= high:
        raise InvalidValue(f"Out of range: use {low} to {high}.")
    return number


def parse_browser(text: str) -> str:
    """*text* as a browser program ("" is the system default), or :class:`InvalidValue`."""
    value = text.strip().strip('"')
    if value.casefold() in ("", "default", "system"):
        return ""
    path = Path(value).expanduser()
    if not path.is_file():
        raise InvalidValue(
            "No program at this path.", remedy="Give the full path of the browser's program."
        )
    if not os.access(path, os.X_OK):
        raise InvalidValue("This file is not a program that can be run.")
    return str(path)


def validate(key: str, text: str) -> str:
    """*text* for setting *key* checked and normalized, as text; :class:`InvalidValue` when
    it is refused. Used as it is typed, so the screen shows the reason next to the field."""
    if key in (SIGN_IN_CLIENT_ID, CLIENT_ID):
        return parse_guid(text)
    if key == CONSENT_TIMEOUT:
        return str(parse_bounded(text, *TIMEOUT_RANGE))
    if key == CHECK_CONCURRENCY:
        return str(parse_bounded(text, *CONCURRENCY_RANGE))
    if key == CONSENT_LINK_REDIRECT_URI:
        return parse_url(text)
    if key == BROWSER:
        return parse_browser(text)
    return key_named(key).name  # raises: unknown key


def _cloud(cloud: str) -> str:
    try:
        return Cloud(cloud.strip().lower()).value
    except ValueError:
        names = ", ".join(c.value for c in Cloud)
        raise UserError(f'There is no cloud "{cloud}".', remedy=f"Use one of: {names}.") from None


def apply(
    settings: Settings, key: str, text: str, *, cloud: str = "global", app_type_id: str = ""
) -> Settings:
    """A copy of *settings* with *key* set to *text* (checked by :func:`validate`)."""
    value = validate(key, text)
    return _with(settings, key, value, _cloud(cloud), app_type_id)


def unset(
    settings: Settings, key: str, *, cloud: str = "global", app_type_id: str = ""
) -> Settings:
    """A copy of *settings* without *key* (the catalog's value or the default applies)."""
    key_named(key)
    return _with(settings, key, None, _cloud(cloud), app_type_id)


def _with(settings: Settings, key: str, value: str | None, cloud: str, app: str) -> Settings:
    new = dataclasses.replace(
        settings,
        client_ids=dict(settings.client_ids),
        cloud_sign_in_client_ids=dict(settings.cloud_sign_in_client_ids),
        cloud_client_ids={c: dict(ids) for c, ids in settings.cloud_client_ids.items()},
    )
    defaults = Settings()
    if key == SIGN_IN_CLIENT_ID:
        if cloud == "global":
            new.sign_in_client_id = value or ""
        else:
            _put(new.cloud_sign_in_client_ids, cloud, value)
    elif key == CLIENT_ID:
        if not app:
            raise UserError("Which app type? A client ID is set per app type.")
        if cloud == "global":
            _put(new.client_ids, app, value)
        else:
            ids = new.cloud_client_ids.setdefault(cloud, {})
            _put(ids, app, value)
            if not ids:
                del new.cloud_client_ids[cloud]
    elif key == CONSENT_TIMEOUT:
        new.consent_timeout_seconds = int(value) if value else defaults.consent_timeout_seconds
    elif key == CHECK_CONCURRENCY:
        new.check_concurrency = int(value) if value else defaults.check_concurrency
    elif key == CONSENT_LINK_REDIRECT_URI:
        new.consent_link_redirect_uri = value or ""
    elif key == BROWSER:
        new.browser = value or ""
    return new


def _put(mapping: dict[str, str], name: str, value: str | None) -> None:
    if value:
        mapping[name] = value
    else:
        mapping.pop(name, None)


def _catalog_source(value: str | None, shipped_value: str | None) -> str:
    if not value:
        return NOT_SET
    return FROM_SHIPPED if value == shipped_value else FROM_OVERRIDE


def current_values(
    settings: Settings, catalog: Catalog, shipped: Catalog | None = None
) -> list[SettingValue]:
    """Every value in use, with its source. *shipped* is the catalog without the override,
    to tell an override's client ID from the shipped one (None: *catalog* is the shipped)."""
    base = shipped or catalog
    values: list[SettingValue] = []
    for cloud in Cloud:
        own = settings.sign_in_client_id_in(cloud.value).strip()
        if own:
            values.append(SettingValue(SIGN_IN_CLIENT_ID, own, FROM_SETTINGS, cloud.value))
        else:
            found = catalog.sign_in_client_id_in(cloud.value) or ""
            source = _catalog_source(found, base.sign_in_client_id_in(cloud.value))
            values.append(SettingValue(SIGN_IN_CLIENT_ID, found, source, cloud.value))
    for cloud in Cloud:
        ids = settings.client_ids_in(cloud.value)
        for app in catalog.app_types:
            values.append(_client_id_value(app, cloud.value, ids, catalog, base))
    defaults = Settings()
    for key, value, default in (
        (CONSENT_TIMEOUT, settings.consent_timeout_seconds, defaults.consent_timeout_seconds),
        (CHECK_CONCURRENCY, settings.check_concurrency, defaults.check_concurrency),
    ):
        source = FROM_DEFAULT if value == default else FROM_SETTINGS
        values.append(SettingValue(key, str(value), source))
    for key, text in (
        (CONSENT_LINK_REDIRECT_URI, settings.consent_link_redirect_uri),
        (BROWSER, settings.browser),
    ):
        values.append(SettingValue(key, text, FROM_SETTINGS if text else FROM_DEFAULT))
    return values


def _client_id_value(
    app: AppType, cloud: str, ids: dict[str, str], catalog: Catalog, base: Catalog
) -> SettingValue:
    own = (ids.get(app.id) or "").strip()
    if own:
        return SettingValue(CLIENT_ID, own, FROM_SETTINGS, cloud, app.id, app.label)
    found = catalog.client_id_in(app, cloud) or ""
    base_app = next((a for a in base.app_types if a.id == app.id), None)
    shipped_value = base.client_id_in(base_app, cloud) if base_app else None
    source = _catalog_source(found, shipped_value)
    return SettingValue(CLIENT_ID, found, source, cloud, app.id, app.label)


def value_of(
    values: list[SettingValue], key: str, cloud: str = "", app_type_id: str = ""
) -> SettingValue:
    """The entry of *values* for *key* (and *cloud*, *app_type_id* where they apply)."""
    for entry in values:
        if entry.key == key and entry.cloud == cloud and entry.app_type_id == app_type_id:
            return entry
    raise KeyError((key, cloud, app_type_id))


def clouds_missing_sign_in(
    settings: Settings, catalog: Catalog, clouds_in_use: Iterable[Cloud] = ()
) -> list[Cloud]:
    """The clouds (Global, and those of the store's tenants) without a sign-in client ID."""
    wanted = [Cloud.GLOBAL, *(c for c in clouds_in_use if c is not Cloud.GLOBAL)]
    missing: list[Cloud] = []
    for cloud in dict.fromkeys(wanted):
        value = settings.sign_in_client_id_in(cloud.value) or catalog.sign_in_client_id_in(
            cloud.value
        )
        if not (value or "").strip():
            missing.append(cloud)
    return missing
