"""A small HTTPS token endpoint for the checks' end-to-end tests and benchmark.

It speaks just enough of the Microsoft identity platform for unpatched MSAL to get a
client-credentials token (OpenID configuration, token endpoint) and for Graph's directory-role
read, with per-tenant scenarios: an AADSTS refusal, throttling with Retry-After, a 5xx, an
outage (connection dropped), granted roles, and added latency. The full sandbox identity
provider replaces it where available; this one keeps the check tests independent of it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass
class Scenario:
    """How one tenant answers."""

    roles: list[str] = field(default_factory=list)
    directory_roles: list[str] = field(default_factory=list)
    #: (HTTP status, error, AADSTS codes, description) for a refusal.
    refuse: tuple[int, str, list[int], str] | None = None
    #: Answer 429 with this Retry-After this many times, then normally.
    throttle_times: int = 0
    retry_after: int = 1
    server_error: bool = False
    down: bool = False  # drop the connection without an answer
    token_requests: int = 0
    token_times: list[float] = field(default_factory=list)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def fake_jwt(claims: dict[str, Any]) -> str:
    """An unsigned-looking JWT; checks read claims, they do not verify our own tokens."""
    header = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(b'signature')}"


def make_tls(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1; returns (ca.pem, cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Check tests CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return paths


class TokenServer:
    """The server's state: scenarios by tenant, latency, and the base URL."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.scenarios: dict[str, Scenario] = {}
        self.lock = threading.Lock()
        self.base = ""
        self.ca_path: Path | None = None

        #: Roles and directory roles every new tenant starts with.
        self.default_roles: list[str] = []
        self.default_directory_roles: list[str] = []

    def scenario(self, tenant: str) -> Scenario:
        with self.lock:
            if tenant not in self.scenarios:
                self.scenarios[tenant] = Scenario(
                    list(self.default_roles), list(self.default_directory_roles)
                )
            return self.scenarios[tenant]


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as two writes; without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = urlparse(self.path).path
            parts = [p for p in path.split("/") if p]
            if path.endswith("/v2.0/.well-known/openid-configuration"):
                tenant = parts[0]
                self._send(
                    200,
                    {
                        "token_endpoint": f"{server.base}/{tenant}/oauth2/v2.0/token",
                        "authorization_endpoint": f"{server.base}/{tenant}/oauth2/v2.0/authorize",
                        "issuer": f"{server.base}/{tenant}/v2.0",
                    },
                )
                return
            if path.endswith("/servicePrincipals"):
                self._send(200, {"value": [{"id": "sp-1", "appId": "x"}]})
                return
            if path.endswith("roleManagement/directory/roleAssignments"):
                tenant = self.headers.get("Authorization", "").rsplit(".", 2)[-2]
                claims = json.loads(base64.urlsafe_b64decode(tenant + "=" * (-len(tenant) % 4)))
                scenario = server.scenario(claims["tid"])
                assignments = [
                    {"roleDefinition": {"displayName": n}} for n in scenario.directory_roles
                ]
                self._send(200, {"value": assignments})
                return
            self._send(404, {"error": {"code": "NotFound", "message": unquote(path)}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            tenant = urlparse(self.path).path.split("/")[1]
            scenario = server.scenario(tenant)
            with server.lock:
                scenario.token_requests += 1
                scenario.token_times.append(time.monotonic())
                throttled = scenario.throttle_times > 0
                if throttled:
                    scenario.throttle_times -= 1
            if server.latency:
                time.sleep(server.latency)
            if scenario.down:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if throttled:
                body = {"error": "temporarily_unavailable", "error_codes": [90055]}
                self._send(429, body, {"Retry-After": str(scenario.retry_after)})
                return
            if scenario.server_error:
                self._send(503, {"error": "server_error"})
                return
            if scenario.refuse:
                status, error, codes, text = scenario.refuse
                body = {
                    "error": error,
                    "error_description": text,
                    "error_codes": codes,
                    "correlation_id": "c0ffee00-0000-0000-0000-000000000000",
                }
                self._send(status, body)
                return
            claims = {
                "tid": tenant,
                "appid": form.get("client_id", [""])[0],
                "roles": scenario.roles,
            }
            token = fake_jwt(claims)
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3599})

    return Handler


@contextmanager
def running_token_server(folder: Path, latency: float = 0.0) -> Iterator[TokenServer]:
    """Serve HTTPS on 127.0.0.1 until the block ends."""
    state = TokenServer(latency)
    ca, cert, key = make_tls(folder)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    httpd.request_queue_size = 64
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.base = f"https://127.0.0.1:{httpd.server_address[1]}"
    state.ca_path = ca
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def main() -> None:
    """Serve in its own process (the benchmark keeps the server out of the app's GIL)."""
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--roles", nargs="*", default=[])
    parser.add_argument("--directory-roles", nargs="*", default=[])
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_token_server(Path(tmp), args.latency) as state,
    ):
        state.default_roles = args.roles
        state.default_directory_roles = args.directory_roles
        print(state.base, state.ca_path, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


if __name__ == "__main__":
    main()
