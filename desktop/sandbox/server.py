"""The sandbox's HTTP servers: HTTPS for the identity platform and Graph, plain http on
127.0.0.1 for the browser pages, both on ephemeral ports, each on its own thread."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from desktop.sandbox import ca, graph
from desktop.sandbox.directory import Directory
from desktop.sandbox.faults import FaultTable
from desktop.sandbox.issuer import Issuer
from desktop.sandbox.pages import Pages
from desktop.sandbox.scenarios import ACTIONS, Scenario
from desktop.sandbox.traffic import Traffic

log = logging.getLogger("desktop.sandbox")

ADMIN_PATH = "/_sandbox/scenario"
TRAFFIC_PATH = "/_sandbox/traffic"


class _Handler(BaseHTTPRequestHandler):
    sandbox: Sandbox  # set on the subclass each server builds
    protocol_version = "HTTP/1.1"
    server_version = "SandboxIdP/1.0"
    # Headers and body go out as two writes; with Nagle on, the body waits for the client's
    # delayed ACK (about 40 ms) on every answer, which no real identity platform adds.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    # -- plumbing ---------------------------------------------------------------------------
    def _split(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        return dict(parse_qsl(raw, keep_blank_values=True))

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    def _html(self, status: int, headers: dict[str, str], body: str) -> None:
        self._send(status, body.encode("utf-8"), "text/html; charset=utf-8", headers)


class _ApiHandler(_Handler):
    """HTTPS: discovery, token endpoint, Graph, and the admin endpoint."""

    def do_GET(self) -> None:
        path, query = self._split()
        sb = self.sandbox
        parts = path.strip("/").split("/")
        if path == TRAFFIC_PATH:
            self._json(200, {"counts": sb.traffic.counts(), "latency": sb.traffic.latency})
            return
        sb.traffic.record("GET", path)
        if path == "/common/discovery/instance":
            host = urlsplit(sb.authority_host).netloc
            self._json(
                200,
                {
                    "tenant_discovery_endpoint": f"{sb.authority_host}/{{tenant}}/v2.0/.well-known/"
                    "openid-configuration",
                    "api-version": "1.1",
                    "metadata": [
                        {"preferred_network": host, "preferred_cache": host, "aliases": [host]}
                    ],
                },
            )
        elif path.endswith("/v2.0/.well-known/openid-configuration") and len(parts) == 4:
            self._json(*_reorder(sb.issuer.openid_configuration(parts[0])))
        elif (len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]) or path.endswith(
            "/oauth2/v2.0/authorize"
        ):
            target = f"{sb.pages_url}{self.path}"
            self._send(302, b"", "text/plain", {"Location": target})
        elif path.endswith("/discovery/v2.0/keys"):
            self._json(200, {"keys": [sb.jwk()]})
        elif parts[0] in ("v1.0", "beta"):
            self._graph("/".join(parts[1:]), query)
        else:
            self._json(404, {"error": "not_found", "error_description": path})

    def do_POST(self) -> None:
        path, _ = self._split()
        parts = path.strip("/").split("/")
        if path == TRAFFIC_PATH:
            self._traffic()
            return
        if path != ADMIN_PATH:
            self.sandbox.traffic.record("POST", path)
        if path == ADMIN_PATH:
            self._admin()
        elif len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            status, headers, body = self.sandbox.issuer.token(parts[0], self._form())
            self._json(status, body, headers)
        elif parts[0] in ("v1.0", "beta"):
            self._graph_post("/".join(parts[1:]))
        else:
            self._json(404, {"error": "not_found", "error_description": path})

    def _graph_post(self, path: str) -> None:
        auth = self.headers.get("Authorization", "")
        claims = self.sandbox.issuer.verify_bearer(auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            self._json(401, {"error": {"code": "InvalidAuthenticationToken", "message": "No."}})
            return
        try:
            body = json.loads(self._form_raw())
        except ValueError:
            self._json(400, {"error": {"code": "BadRequest", "message": "Not JSON."}})
            return
        self._json(*graph.handle_post(self.sandbox.directory, claims, path, body))

    def _graph(self, path: str, query: dict[str, str]) -> None:
        auth = self.headers.get("Authorization", "")
        claims = self.sandbox.issuer.verify_bearer(auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            self._json(
                401,
                {
                    "error": {
                        "code": "InvalidAuthenticationToken",
                        "message": "Access token is missing or invalid.",
                    }
                },
            )
            return
        fault = self.sandbox.faults.take(str(claims.get("tid")), "", None, "graph")
        if fault is not None:
            status = fault.status or (429 if fault.code == 90055 else 503)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            self._json(
                status,
                {
                    "error": {
                        "code": "TooManyRequests" if status == 429 else "ServiceUnavailable",
                        "message": "Try again later.",
                    }
                },
                headers,
            )
            return
        status, body = graph.handle(self.sandbox.directory, claims, path, query)
        self._json(status, body)

    def _admin(self) -> None:
        try:
            request = json.loads(self._form_raw())
            action = request.pop("action")
            if action not in ACTIONS:
                raise KeyError(f"unknown action {action!r}")
            result = getattr(self.sandbox.scenario, action)(**request)
        except (KeyError, TypeError, ValueError) as exc:
            self._json(400, {"ok": False, "error": str(exc)})
            return
        self._json(200, {"ok": True, "result": result})

    def _traffic(self) -> None:
        try:
            request = json.loads(self._form_raw())
            if "latency" in request:
                self.sandbox.traffic.set_latency(float(request["latency"]))
        except (TypeError, ValueError) as exc:
            self._json(400, {"ok": False, "error": str(exc)})
            return
        if request.get("reset"):
            self.sandbox.traffic.reset()
        self._json(
            200, {"counts": self.sandbox.traffic.counts(), "latency": self.sandbox.traffic.latency}
        )

    def _form_raw(self) -> str:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8") if length else "{}"


def _reorder(
    reply: tuple[int, dict[str, str], dict[str, Any]],
) -> tuple[int, dict[str, Any], dict[str, str]]:
    status, headers, body = reply
    return status, body, headers


class _PagesHandler(_Handler):
    """Plain http on 127.0.0.1: the pages a browser sees."""

    def do_GET(self) -> None:
        path, query = self._split()
        parts = path.strip("/").split("/")
        pages = self.sandbox.pages
        if len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "authorize"]:
            self._html(*pages.authorize(parts[0], query))
        elif len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]:
            self._html(*pages.admin_consent_page(parts[0], query))
        else:
            self._html(404, {}, "<!DOCTYPE html><title>Not found</title><p>Not found.</p>")

    def do_POST(self) -> None:
        path, _ = self._split()
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]:
            self._html(*self.sandbox.pages.admin_consent_decide(parts[0], self._form()))
        else:
            self._html(404, {}, "<!DOCTYPE html><title>Not found</title><p>Not found.</p>")


class Sandbox:
    """A local identity provider speaking the Microsoft identity platform protocol.

    Use as a context manager or call :meth:`start` and :meth:`stop`. ``authority_host`` and
    ``graph_host`` are what ``APP_PROFILES_AUTHORITY_HOST`` and ``APP_PROFILES_GRAPH_HOST``
    take; ``ca_path`` is what ``REQUESTS_CA_BUNDLE`` takes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.directory = Directory()
        self.faults = FaultTable()
        self.traffic = Traffic()
        self.issuer = Issuer(self.directory, self.faults)
        self.pages = Pages(self.directory, self.issuer)
        self.scenario = Scenario(self.directory, self.faults, self.issuer, self.pages)
        self.ca_path: Path | None = None
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    @property
    def authority_host(self) -> str:
        return self.issuer.base_url

    @property
    def graph_host(self) -> str:
        return self.issuer.base_url

    @property
    def pages_url(self) -> str:
        return self.issuer.pages_url

    def env(self) -> dict[str, str]:
        """The environment that points the app at this sandbox."""
        return {
            "APP_PROFILES_AUTHORITY_HOST": self.authority_host,
            "APP_PROFILES_GRAPH_HOST": self.graph_host,
            "REQUESTS_CA_BUNDLE": str(self.ca_path),
        }

    def jwk(self) -> dict[str, Any]:
        from desktop.sandbox.jws import b64url

        numbers = self.issuer.key.public_key().public_numbers()
        size = (numbers.n.bit_length() + 7) // 8
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.issuer.kid,
            "alg": "RS256",
            "n": b64url(numbers.n.to_bytes(size, "big")),
            "e": b64url(numbers.e.to_bytes(3, "big")),
        }

    def start(self) -> Sandbox:
        material = ca.generate_tls()
        self.ca_path = ca.write_ca(material, self.folder)
        api = type("ApiHandler", (_ApiHandler,), {"sandbox": self})
        pages = type("PagesHandler", (_PagesHandler,), {"sandbox": self})
        api_server = ThreadingHTTPServer(("127.0.0.1", 0), api)
        api_server.socket = ca.server_ssl_context(material).wrap_socket(
            api_server.socket, server_side=True, do_handshake_on_connect=False
        )
        pages_server = ThreadingHTTPServer(("127.0.0.1", 0), pages)
        for server in (api_server, pages_server):
            server.daemon_threads = True
            self._servers.append(server)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="sandbox-http",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        self.issuer.base_url = f"https://127.0.0.1:{api_server.server_address[1]}"
        self.issuer.pages_url = f"http://127.0.0.1:{pages_server.server_address[1]}"
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
