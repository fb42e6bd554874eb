"""Tenant look-up over real HTTP against a local OpenID configuration server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from desktop.core.domain import Cloud
from desktop.core.endpoints import AUTHORITY_ENV
from desktop.core.errors import UserError
from desktop.core.tenant_lookup import (
    TenantFound,
    cloud_of_configuration,
    lookup_tenant,
    lookup_tenant_id,
)

TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"


#: OpenID configuration fields as Microsoft's national clouds answer them.
_NATIONAL = {
    "contoso.us": {
        "cloud_instance_name": "microsoftonline.us",
        "tenant_region_scope": "USGov",
        "tenant_region_sub_scope": "DODCON",
    },
    "army.mil": {
        "cloud_instance_name": "microsoftonline.us",
        "tenant_region_scope": "USGov",
        "tenant_region_sub_scope": "DOD",
    },
    "state.gov": {
        "cloud_instance_name": "microsoftonline.com",
        "tenant_region_scope": "NA",
        "tenant_region_sub_scope": "GCC",
    },
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if parts[0] == "contoso.com" and parts[1:] == [
            "v2.0",
            ".well-known",
            "openid-configuration",
        ]:
            self._send(200, {"issuer": f"https://login.microsoftonline.com/{TID}/v2.0"})
        elif parts[0] in _NATIONAL:
            self._send(
                200,
                {"issuer": f"https://login.microsoftonline.us/{TID}/v2.0", **_NATIONAL[parts[0]]},
            )
        elif parts[0] == "broken.com":
            self._send(503, {"error": "temporarily_unavailable"})
        else:
            self._send(
                400,
                {"error": "invalid_tenant", "error_description": "AADSTS90002: Tenant not found."},
            )

    def _send(self, code: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def authority(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv(AUTHORITY_ENV, url)
    yield url
    server.shutdown()
    server.server_close()
    thread.join()


def test_resolves_the_issuer_guid(authority: str) -> None:
    assert lookup_tenant_id("Contoso.com", Cloud.USGOV) == TID


def test_unknown_domain_says_so(authority: str) -> None:
    with pytest.raises(UserError, match=r"No Microsoft tenant uses the domain nobody\.com") as info:
        lookup_tenant_id("nobody.com")
    assert "AADSTS90002" in info.value.detail


def test_service_trouble_is_not_called_unknown(authority: str) -> None:
    with pytest.raises(UserError, match=r"could not look up broken\.com right now"):
        lookup_tenant_id("broken.com")


def test_offline_says_enter_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    monkeypatch.setenv(AUTHORITY_ENV, f"http://127.0.0.1:{port}")
    with pytest.raises(UserError, match="Could not reach") as info:
        lookup_tenant_id("contoso.com", timeout_s=2)
    assert "by hand" in info.value.remedy


def test_bad_domain_never_reaches_the_network() -> None:
    with pytest.raises(UserError, match="not a domain name"):
        lookup_tenant_id("not a domain")


def test_the_cloud_is_read_from_the_openid_configuration(authority: str) -> None:
    assert lookup_tenant("contoso.us", Cloud.USGOV) == TenantFound(TID, Cloud.USGOV)
    assert lookup_tenant("army.mil", Cloud.USGOV).cloud is Cloud.USGOV_DOD
    # GCC (moderate) tenants live in the worldwide cloud.
    assert lookup_tenant("state.gov").cloud is Cloud.GLOBAL
    # A document naming no cloud (a private identity provider) leaves it open.
    assert lookup_tenant("contoso.com").cloud is None


def test_a_tenant_of_another_cloud_is_refused_in_words(authority: str) -> None:
    with pytest.raises(UserError) as info:
        lookup_tenant_id("contoso.us", Cloud.GLOBAL)
    assert info.value.message == "contoso.us is a US Government GCC High tenant, not a Global one."
    assert "usgov" in info.value.remedy
    with pytest.raises(UserError, match="US Government DoD tenant"):
        lookup_tenant_id("army.mil", Cloud.USGOV)
    assert lookup_tenant_id("army.mil", Cloud.USGOV_DOD) == TID


def test_cloud_names() -> None:
    assert cloud_of_configuration({"cloud_instance_name": "partner.microsoftonline.cn"}) is (
        Cloud.CHINA
    )
    assert cloud_of_configuration({"cloud_instance_name": "sandbox"}) is None
