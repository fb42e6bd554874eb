"""A "Set it in Settings" message names the field it is about, and the command that sets it."""

from __future__ import annotations

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.identity.config import publisher_client_id, sign_in_client_id
from desktop.core.settings_hint import SettingTarget, settings_target


def _text(exc: UserError) -> str:
    return f"{exc.message} {exc.remedy}"


@pytest.mark.parametrize("cloud", list(Cloud))
def test_a_missing_sign_in_client_id_points_at_its_cloud(cloud: Cloud) -> None:
    with pytest.raises(UserError) as caught:
        sign_in_client_id("", None, None, cloud)
    target = settings_target(_text(caught.value))
    assert target == SettingTarget("sign-in-client-id", cloud.value)


@pytest.mark.parametrize("cloud", [Cloud.GLOBAL, Cloud.CHINA])
def test_a_missing_publisher_client_id_points_at_its_app_and_cloud(cloud: Cloud) -> None:
    catalog = load_shipped()
    app = catalog.app_types[1]
    with pytest.raises(UserError) as caught:
        publisher_client_id(app, {}, None, cloud, catalog)
    target = settings_target(_text(caught.value))
    assert target == SettingTarget("client-id", cloud.value, app.id)
    assert target.cli_command().startswith(f'app-profiles-cli settings set client-id "{app.id}"')


def test_the_session_message_without_a_key_names_the_cloud_by_label() -> None:
    text = (
        "No client ID is set for the technician sign-in app in the US Government DoD cloud. "
        "Set it in Settings; that cloud needs its own app registration."
    )
    assert settings_target(text) == SettingTarget("sign-in-client-id", "usgov-dod")
    assert settings_target("The network is down.") is None


def test_the_command_for_a_national_cloud_says_which() -> None:
    command = SettingTarget("sign-in-client-id", "usgov").cli_command()
    assert command == "app-profiles-cli settings set sign-in-client-id GUID --cloud usgov"
