"""The sandbox's documented answer variants: each reshapes only what it names."""

from __future__ import annotations

import pytest

from desktop.sandbox import variants as v

GUID = "d41a5dd6-af3e-5ec3-88c4-f9a6c10e14aa"


def test_unknown_variant_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown variants"):
        v.checked(["v1_token"])
    assert v.checked([v.V1_TOKENS]) == {v.V1_TOKENS}


def test_v1_access_claims_drop_azp_and_name_the_user_as_v1_does() -> None:
    claims = {"tid": "t", "azp": "c", "appid": "c", "preferred_username": "a@b", "ver": "2.0"}
    out = v.access_claims(claims, frozenset({v.V1_TOKENS}))
    assert out["ver"] == "1.0" and out["iss"] == "https://sts.windows.net/t/"
    assert "azp" not in out and out["appid"] == "c" and out["unique_name"] == "a@b"
    assert v.access_claims(claims, frozenset()) is claims


def test_graph_ids_in_upper_case_and_unknown_members() -> None:
    body = {
        "@odata.context": "x",
        "value": [{"id": GUID, "resourceId": GUID, "displayName": GUID, "scope": "User.Read"}],
    }
    out = v.graph_body(body, frozenset({v.UPPER_GUIDS, v.EXTRA_FIELDS}))
    (item,) = out["value"]
    assert item["id"] == item["resourceId"] == GUID.upper()
    assert item["displayName"] == GUID  # not an ID property: left as it is
    assert "x-sandbox-unknown" in item and "x-sandbox-unknown" not in out
    assert v.graph_body(body, frozenset({v.V1_TOKENS})) is body


def test_lower_guids_finds_ids_in_paths_and_filters() -> None:
    text = (
        f"servicePrincipals/{GUID.upper()}/appRoleAssignments?$filter=clientId eq '{GUID.upper()}'"
    )
    assert v.lower_guids(text) == text.replace(GUID.upper(), GUID)


def test_interactive_codes_come_as_interaction_required_with_claims() -> None:
    on = frozenset({v.INTERACTION_REQUIRED})
    mfa = (400, {}, {"error": "invalid_grant", "error_codes": [50076]})
    status, _, body = v.token_error(mfa, on)
    assert status == 400 and body["error"] == "interaction_required" and body["claims"]
    assert body["error_uri"].endswith("code=50076")
    other = v.token_error((401, {}, {"error": "invalid_client", "error_codes": [7000215]}), on)
    assert other[2]["error"] == "invalid_client" and "claims" not in other[2]
    assert v.token_error(mfa, frozenset()) is mfa
    ok = (200, {}, {"access_token": "x"})
    assert v.token_error(ok, on) is ok
