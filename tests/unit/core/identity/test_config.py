"""Client IDs are configuration: Settings first, then the catalog (override); a missing or
malformed one says exactly where to set it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from desktop.core.deadline import BoundedHttpClient, deadline_for
from desktop.core.domain import Cloud
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.config import msal_options, publisher_client_id, sign_in_client_id
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.paths import data_paths
from desktop.core.services import IdentityServices
from tests.helpers.identity_fakes import BASELINE, catalog

SETTINGS_ID = "11111111-2222-4333-8444-555555555555"
CATALOG_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa"


def test_publisher_client_id_prefers_settings_over_the_catalog() -> None:
    app = dataclasses.replace(BASELINE, client_id=CATALOG_ID)
    assert publisher_client_id(app, {app.id: SETTINGS_ID.upper()}) == SETTINGS_ID
    assert publisher_client_id(app, {}) == CATALOG_ID
    assert publisher_client_id(app, {"another-app": SETTINGS_ID}) == CATALOG_ID


def test_missing_publisher_client_id_names_the_settings_key_and_the_override_file(
    tmp_path: Path,
) -> None:
    paths = data_paths(tmp_path)
    with pytest.raises(UserError) as caught:
        publisher_client_id(dataclasses.replace(BASELINE, client_id=None), {}, paths)
    assert BASELINE.name in caught.value.message
    assert f"client_ids → {BASELINE.id}" in caught.value.remedy
    assert str(paths.settings) in caught.value.remedy
    assert str(paths.catalog_override) in caught.value.remedy


def test_malformed_publisher_client_id_says_where_to_correct_it() -> None:
    with pytest.raises(UserError, match="not a GUID") as caught:
        publisher_client_id(BASELINE, {BASELINE.id: "not-a-guid"})
    assert "Correct it in Settings" in caught.value.remedy


def test_sign_in_client_id_from_settings_then_the_catalog_override(tmp_path: Path) -> None:
    override = dataclasses.replace(catalog(), sign_in_client_id=CATALOG_ID)
    assert sign_in_client_id(f" {SETTINGS_ID} ", override) == SETTINGS_ID
    assert sign_in_client_id("", override) == CATALOG_ID
    paths = data_paths(tmp_path)
    with pytest.raises(UserError, match="No client ID is set for the technician sign-in app") as e:
        sign_in_client_id("", catalog(), paths)
    assert "sign_in_client_id" in e.value.remedy and str(paths.settings) in e.value.remedy


def test_instance_discovery_is_skipped_only_for_private_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APP_PROFILES_AUTHORITY_HOST", raising=False)
    for cloud in Cloud:
        assert "instance_discovery" not in msal_options(endpoints_for(cloud))
    private = Endpoints("https://127.0.0.1:8443", "https://127.0.0.1:8443")
    assert msal_options(private)["instance_discovery"] is False


def test_every_msal_app_gets_an_http_client_held_to_the_command_deadline() -> None:
    with deadline_for(7.0) as deadline:
        client = msal_options(endpoints_for(Cloud.GLOBAL))["http_client"]
    assert isinstance(client, BoundedHttpClient) and client.deadline is deadline


GOV_ID = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"


def test_client_ids_are_per_cloud() -> None:
    app = dataclasses.replace(BASELINE, client_id=CATALOG_ID)
    assert publisher_client_id(app, {app.id: GOV_ID}, cloud=Cloud.USGOV) == GOV_ID
    # The catalog's (Global) client ID is never used in a national cloud.
    with pytest.raises(UserError) as caught:
        publisher_client_id(app, {}, cloud=Cloud.USGOV_DOD, catalog=catalog())
    assert "in the US Government DoD cloud" in caught.value.message
    assert "cloud_client_ids → usgov-dod" in caught.value.remedy
    assert "own app registration" in caught.value.remedy
    override = dataclasses.replace(
        catalog(), cloud_client_ids=(("china", app.id, GOV_ID),), cloud_sign_in_client_ids=()
    )
    assert publisher_client_id(app, {}, cloud=Cloud.CHINA, catalog=override) == GOV_ID


def test_the_sign_in_app_is_per_cloud_too() -> None:
    override = dataclasses.replace(
        catalog(), sign_in_client_id=CATALOG_ID, cloud_sign_in_client_ids=(("usgov", GOV_ID),)
    )
    assert sign_in_client_id("", override, cloud=Cloud.USGOV) == GOV_ID
    assert sign_in_client_id("", override) == CATALOG_ID
    with pytest.raises(UserError, match="sign-in app in the China cloud") as caught:
        sign_in_client_id("", override, cloud=Cloud.CHINA)
    assert "cloud_sign_in_client_ids → china" in caught.value.remedy


def test_settings_keep_the_single_values_as_the_global_ones(tmp_path: Path) -> None:
    paths = data_paths(tmp_path).ensure()
    paths.settings.write_text(
        json.dumps(
            {
                "sign_in_client_id": SETTINGS_ID,
                "client_ids": {BASELINE.id: SETTINGS_ID},
                "cloud_sign_in_client_ids": {"usgov": GOV_ID},
                "cloud_client_ids": {"usgov": {BASELINE.id: GOV_ID}},
            }
        ),
        "utf-8",
    )
    wiring = IdentityServices.load(paths, catalog())
    assert wiring.sign_in_client_id() == SETTINGS_ID
    assert wiring.sign_in_client_id(Cloud.USGOV) == GOV_ID
    assert wiring.publisher_client_id(BASELINE) == SETTINGS_ID
    assert wiring.publisher_client_id(BASELINE, Cloud.USGOV) == GOV_ID
    assert wiring.sign_in_client_ids() == {Cloud.GLOBAL: SETTINGS_ID, Cloud.USGOV: GOV_ID}


def test_the_technician_session_signs_in_with_each_cloud_s_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APP_PROFILES_AUTHORITY_HOST", raising=False)
    session = TechnicianSession(
        SETTINGS_ID,
        MemoryTokenCacheStore(),
        client_ids={Cloud.GLOBAL: SETTINGS_ID, Cloud.USGOV: GOV_ID},
    )
    assert session.client_id_for(endpoints_for(Cloud.GLOBAL)) == SETTINGS_ID
    assert session.client_id_for(endpoints_for(Cloud.USGOV)) == GOV_ID
    with pytest.raises(UserError, match="US Government DoD"):
        session.client_id_for(endpoints_for(Cloud.USGOV_DOD))
    # Without its cloud's app, there is no cached token to use either.
    assert session.graph_token(endpoints_for(Cloud.USGOV_DOD), GOV_ID) is None
