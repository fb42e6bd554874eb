"""Settings editing shared by the Settings screen and ``settings set``: checks and sources."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from desktop.core import settings_edit as edit
from desktop.core.catalog.loader import load_catalog, load_shipped
from desktop.core.settings import Settings

GUID = "1b730954-1685-4b74-9bfd-dac224a7b894"
OTHER = "2c840a65-2796-4c85-8cfe-ebd335b8c9a5"


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        (edit.SIGN_IN_CLIENT_ID, "not-a-guid", "Not a GUID"),
        (edit.CLIENT_ID, "1234", "Not a GUID"),
        (edit.CONSENT_TIMEOUT, "0", "Out of range: use 30 to 3600"),
        (edit.CONSENT_TIMEOUT, "ten", "Not a whole number"),
        (edit.CHECK_CONCURRENCY, "65", "Out of range: use 1 to 64"),
        (edit.CONSENT_LINK_REDIRECT_URI, "ftp://example.com", "Not an http(s) address"),
        (edit.CONSENT_LINK_REDIRECT_URI, "https://", "Not an http(s) address"),
        (edit.CONSENT_LINK_REDIRECT_URI, "https://a.example/x#y", "fragment"),
        (edit.CONSENT_LINK_REDIRECT_URI, "http://msp.example/ok", "Use https"),
        (edit.BROWSER, "/no/such/browser", "No program at this path"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason(key: str, text: str, reason: str) -> None:
    with pytest.raises(edit.InvalidValue) as caught:
        edit.validate(key, text)
    assert reason in caught.value.message


def test_good_values_are_normalized() -> None:
    assert edit.validate(edit.SIGN_IN_CLIENT_ID, " {" + GUID.upper() + "} ") == GUID
    assert edit.validate(edit.CONSENT_TIMEOUT, " 600 ") == "600"
    assert edit.validate(edit.CONSENT_LINK_REDIRECT_URI, "") == ""
    assert edit.validate(edit.BROWSER, "default") == ""


def test_a_browser_must_be_a_program(tmp_path: Path) -> None:
    program = tmp_path / "browser"
    program.write_text("#!/bin/sh\n")
    with pytest.raises(edit.InvalidValue, match="not a program"):
        edit.validate(edit.BROWSER, str(program))
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    assert edit.validate(edit.BROWSER, str(program)) == str(program)


def test_apply_and_unset_per_cloud_leave_the_original_untouched() -> None:
    original = Settings()
    changed = edit.apply(original, edit.SIGN_IN_CLIENT_ID, GUID, cloud="usgov")
    changed = edit.apply(changed, edit.CLIENT_ID, OTHER, cloud="china", app_type_id="a")
    changed = edit.apply(changed, edit.CLIENT_ID, GUID, app_type_id="a")
    assert changed.sign_in_client_id_in("usgov") == GUID
    assert changed.client_ids_in("china") == {"a": OTHER}
    assert changed.client_ids_in("global") == {"a": GUID}
    assert original == Settings()
    back = edit.unset(changed, edit.CLIENT_ID, cloud="china", app_type_id="a")
    assert back.cloud_client_ids == {}
    assert edit.unset(back, edit.SIGN_IN_CLIENT_ID, cloud="usgov").cloud_sign_in_client_ids == {}


def test_numbers_are_stored_as_numbers_and_unset_restores_the_default() -> None:
    changed = edit.apply(Settings(), edit.CHECK_CONCURRENCY, "4")
    assert changed.check_concurrency == 4
    assert edit.unset(changed, edit.CHECK_CONCURRENCY).check_concurrency == 8


def test_an_unknown_cloud_or_key_names_the_known_ones() -> None:
    with pytest.raises(edit.UserError, match="usgov-dod"):
        edit.apply(Settings(), edit.SIGN_IN_CLIENT_ID, GUID, cloud="mars")
    with pytest.raises(edit.UserError, match="consent-timeout"):
        edit.key_named("timeout")


def test_sources_say_settings_override_or_not_set(tmp_path: Path) -> None:
    app_id = "apelements-baseline-management"
    override = tmp_path / "catalog-override.json"
    override.write_text(
        json.dumps(
            {
                "sign_in_client_id": OTHER,
                "client_ids": {app_id: OTHER},
                "clouds": {"usgov": {"sign_in_client_id": GUID}},
            }
        )
    )
    catalog = load_catalog(override).catalog
    settings = edit.apply(Settings(), edit.CLIENT_ID, GUID, app_type_id=app_id)
    values = edit.current_values(settings, catalog, load_shipped())

    sign_in = edit.value_of(values, edit.SIGN_IN_CLIENT_ID, "global")
    assert (sign_in.value, sign_in.source, sign_in.read_only) == (OTHER, edit.FROM_OVERRIDE, True)
    usgov = edit.value_of(values, edit.SIGN_IN_CLIENT_ID, "usgov")
    assert (usgov.value, usgov.source) == (GUID, edit.FROM_OVERRIDE)
    assert edit.value_of(values, edit.SIGN_IN_CLIENT_ID, "china").source == edit.NOT_SET
    baseline = edit.value_of(values, edit.CLIENT_ID, "global", app_id)
    assert (baseline.value, baseline.source, baseline.read_only) == (
        GUID,
        edit.FROM_SETTINGS,
        False,
    )
    assert edit.value_of(values, edit.CONSENT_TIMEOUT).source == edit.FROM_DEFAULT


def test_every_setting_survives_a_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = edit.apply(Settings(), edit.SIGN_IN_CLIENT_ID, GUID, cloud="china")
    settings = edit.apply(settings, edit.CLIENT_ID, OTHER, cloud="usgov", app_type_id="a")
    settings = edit.apply(settings, edit.BROWSER, "default")
    settings.browser = "/usr/bin/firefox"
    settings.save(path)
    assert Settings.load(path) == settings
