"""Which setting a "Set it in Settings" message is about, so the GUI opens Settings at that
field and the CLI names the command that sets it.

The messages come from :mod:`desktop.core.identity.config` (which names the settings-file key,
e.g. ``client_ids → apelements-automation``) and from the sign-in and wizard checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core import settings_edit as edit
from desktop.core.domain import Cloud

_CLOUDS = "|".join(re.escape(c.value) for c in sorted(Cloud, key=lambda c: -len(c.value)))
_APP = r"[a-z0-9][a-z0-9._-]*"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"cloud_client_ids → (?P<cloud>{_CLOUDS}) → (?P<app>{_APP})"), edit.CLIENT_ID),
    (re.compile(rf"cloud_sign_in_client_ids → (?P<cloud>{_CLOUDS})"), edit.SIGN_IN_CLIENT_ID),
    (re.compile(rf"(?<![_a-z])client_ids → (?P<app>{_APP})"), edit.CLIENT_ID),
    (re.compile(r"(?<![_a-z])sign_in_client_id\b"), edit.SIGN_IN_CLIENT_ID),
    (re.compile(r"consent_link_redirect_uri"), edit.CONSENT_LINK_REDIRECT_URI),
    (re.compile(r"(?i)sign-in app"), edit.SIGN_IN_CLIENT_ID),
)
_CLOUD_LABEL = re.compile(r"in the (?P<label>.+?) cloud")


@dataclass(frozen=True)
class SettingTarget:
    """A field of the Settings screen: the setting, its cloud, and its app type (if any)."""

    key: str
    cloud: str = "global"
    app_type_id: str = ""

    def cli_command(self) -> str:
        """The command that sets this value."""
        cloud = "" if self.cloud == "global" else f" --cloud {self.cloud}"
        if self.key == edit.CLIENT_ID:
            return f'app-profiles-cli settings set client-id "{self.app_type_id}" GUID{cloud}'
        if self.key == edit.SIGN_IN_CLIENT_ID:
            return f"app-profiles-cli settings set sign-in-client-id GUID{cloud}"
        return f"app-profiles-cli settings set {self.key} VALUE"


def settings_target(text: str) -> SettingTarget | None:
    """The setting *text* (an error's message and remedy) asks to set, or None when it does not
    send the reader to Settings."""
    if "Settings" not in text:
        return None
    for pattern, key in _PATTERNS:
        found = pattern.search(text)
        if found:
            groups = found.groupdict()
            cloud = groups.get("cloud") or _cloud_named(text)
            return SettingTarget(key, cloud, groups.get("app") or "")
    return None


def _cloud_named(text: str) -> str:
    """The cloud a message names by its label ("in the China cloud"), else Global."""
    for found in _CLOUD_LABEL.finditer(text):
        for cloud in Cloud:
            if found.group("label").endswith(cloud.label):
                return cloud.value
    return "global"
