"""Reading token responses: what was granted and where, without decoding access tokens."""

from __future__ import annotations

import base64
import json

from desktop.core.identity.tokens import response_scopes, response_tenant


def _client_info(uid: str, utid: str) -> str:
    raw = json.dumps({"uid": uid, "utid": utid}).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_scopes_come_from_the_response_with_or_without_the_resource() -> None:
    result = {
        "access_token": "not-a-jwt",  # opaque: never read
        "scope": "https://graph.microsoft.com/User.Read Files.Read openid profile offline_access",
    }
    assert response_scopes(result) == {"User.Read", "Files.Read"}
    assert response_scopes({"access_token": "x"}) == frozenset()


def test_the_tenant_comes_from_the_id_token_claims_then_client_info() -> None:
    assert response_tenant({"id_token_claims": {"tid": "t1"}, "client_info": "zz"}) == "t1"
    assert response_tenant({"client_info": _client_info("u", "t2")}) == "t2"
    assert response_tenant({"client_info": "!!not base64!!"}) == ""
    assert response_tenant({"access_token": "x"}) == ""
