"""The sandbox's HTTP servers: HTTPS for the identity platform and Graph, plain http on
127.0.0.1 for the browser pages, all on ephemeral ports, each on its own thread.

Each cloud's hosts get their own ports: one HTTPS server per sign-in host (Global, US
Government, China; each also serves its cloud's Graph), one more HTTPS server for DoD's Graph
(``dod-graph.microsoft.us``), and one plain-http pages server per sign-in host. The browser
only ever visits the plain-http pages, so a real browser shows no certificate warning; MSAL
needs https for the authority and token endpoint, which the sandbox's own CA signs.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from desktop.core.domain import Cloud
from desktop.core.endpoints import AUTHORITY_ENV, GRAPH_ENV, PARTNER_CENTER_ENV, cloud_variable
from desktop.sandbox import ca, gdap, graph, graph_batch, portal
from desktop.sandbox.clouds import CLOUDS, LOGINS
from desktop.sandbox.directory import Directory
from desktop.sandbox.faults import FaultTable
from desktop.sandbox.issuer import Issuer
from desktop.sandbox.pages import PageOptions, Pages
from desktop.sandbox.portal import PORTAL_PATH
from desktop.sandbox.scenarios import ACTIONS, Scenario
from desktop.sandbox.traffic import Traffic
from desktop.sandbox.variants import graph_body, lower_guids

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

    login = "global"  # which sign-in host's issuer this server speaks for
    graph_cloud = "global"  # whose Graph it serves
    serves_login = True  # False for a Graph-only host (DoD)

    @property
    def issuer(self) -> Issuer:
        return self.sandbox.issuers[self.login]

    def do_GET(self) -> None:
        path, query = self._split()
        parts = path.strip("/").split("/")
        sb = self.sandbox
        if path == TRAFFIC_PATH:
            self._json(200, {"counts": sb.traffic.counts(), "latency": sb.traffic.latency})
            return
        # Every cloud's sign-in and Graph servers share the one count.
        sb.traffic.record("GET", path)
        if parts[0] in ("v1.0", "beta"):
            self._graph("/".join(parts[1:]), query, parts[0])
        elif not self.serves_login:
            self._json(404, {"error": "not_found", "error_description": path})
        elif path == "/common/discovery/instance":
            base = self.issuer.base_url
            host = urlsplit(base).netloc
            self._json(
                200,
                {
                    "tenant_discovery_endpoint": f"{base}/{{tenant}}/v2.0/.well-known/"
                    "openid-configuration",
                    "api-version": "1.1",
                    "metadata": [
                        {"preferred_network": host, "preferred_cache": host, "aliases": [host]}
                    ],
                },
            )
        elif path.endswith("/v2.0/.well-known/openid-configuration") and len(parts) == 4:
            self._json(*_reorder(self.issuer.openid_configuration(parts[0])))
        elif (len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]) or path.endswith(
            "/oauth2/v2.0/authorize"
        ):
            target = f"{self.issuer.pages_url}{self.path}"
            self._send(302, b"", "text/plain", {"Location": target})
        elif path.endswith("/discovery/v2.0/keys"):
            self._json(200, {"keys": [self.sandbox.jwk(self.issuer)]})
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
        elif parts[0] in ("v1.0", "beta"):
            self._graph_post("/".join(parts[1:]), parts[0])
        elif (
            self.login == "global"
            and self.serves_login
            and len(parts) == 5
            and parts[0] == gdap.PARTNER_CENTER_PREFIX.strip("/")
            and (parts[1], parts[2], parts[4]) == ("v1", "customers", "applicationconsents")
        ):
            self._partner_center_consent(parts[3])
        elif self.serves_login and len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            status, headers, body = self.issuer.token(parts[0], self._form())
            self._json(status, body, headers)
        else:
            self._json(404, {"error": "not_found", "error_description": path})

    def _claims(self) -> dict[str, Any] | None:
        """The bearer token's claims if this cloud's Graph accepts it: issued by this cloud's
        sign-in host, for a tenant of this cloud (tokens are not interchangeable)."""
        auth = self.headers.get("Authorization", "")
        claims = self.issuer.verify_bearer(auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            return None
        tenant = self.sandbox.directory.tenants.get(str(claims.get("tid", "")))
        return claims if tenant is not None and tenant.cloud == self.graph_cloud else None

    def _partner_center_consent(self, customer: str) -> None:
        auth = self.headers.get("Authorization", "")
        claims = self.issuer.verify_bearer(auth[7:]) if auth.startswith("Bearer ") else None
        try:
            body = json.loads(self._form_raw())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._json(400, {"code": 400, "description": "The request body is not JSON."})
            return
        status, reply = gdap.application_consent(
            self.sandbox.directory, claims, customer, body, self.issuer.base_url
        )
        self._json(status, reply)

    def _graph_post(self, path: str, version: str = "v1.0") -> None:
        claims = self._claims()
        if claims is None:
            self._json(401, {"error": {"code": "InvalidAuthenticationToken", "message": "No."}})
            return
        try:
            body = json.loads(self._form_raw())
        except ValueError:
            self._json(400, {"error": {"code": "BadRequest", "message": "Not JSON."}})
            return
        if path.strip("/") == "$batch":
            whole = self._batch_fault(claims)
            if whole is not None:  # the batch itself is refused, before any inner request
                self._json(*whole)
                return
            self._json(
                *graph_batch.handle_batch(
                    body,
                    lambda method, inner, query, payload: self._graph_answer(
                        claims, method, inner, query, payload, version
                    ),
                )
            )
            return
        status, headers, reply = self._graph_answer(claims, "POST", path, {}, body, version)
        self._json(status, reply, headers)

    def _batch_fault(
        self, claims: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        """A fault injected for the ``$batch`` request as a whole (grant ``graph_batch``):
        Graph may throttle the batch itself, with one Retry-After for all of it."""
        app = str(claims.get("azp") or claims.get("appid") or "")
        fault = self.sandbox.faults.take(str(claims.get("tid")), app, None, "graph_batch")
        if fault is None:
            return None
        status = fault.status or (429 if fault.code == 90055 else 503)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
        code = "TooManyRequests" if status == 429 else "ServiceUnavailable"
        return status, {"error": {"code": code, "message": "Try again later."}}, headers

    def _graph_answer(
        self,
        claims: dict[str, Any],
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        version: str,
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """One Graph request (on its own or inside a batch): faults first, then the answer."""
        # Graph matches GUIDs case-insensitively, in the path and in $filter alike.
        path, query = lower_guids(path), {k: lower_guids(v) for k, v in query.items()}
        app = str(claims.get("azp") or claims.get("appid") or "")
        fault = self.sandbox.faults.take(str(claims.get("tid")), app, None, "graph")
        if fault is not None:
            status = fault.status or (429 if fault.code == 90055 else 503)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return (
                status,
                headers,
                {
                    "error": {
                        "code": "TooManyRequests" if status == 429 else "ServiceUnavailable",
                        "message": "Try again later.",
                    }
                },
            )
        if method == "POST":
            if not isinstance(body, dict):
                return 400, {}, {"error": {"code": "BadRequest", "message": "Not JSON."}}
            status, reply = graph.handle_post(self.sandbox.directory, claims, path, body)
            return status, {}, reply
        if method != "GET":
            return (
                405,
                {},
                {
                    "error": {
                        "code": "Request_BadRequest",
                        "message": "Specified HTTP method is not allowed for the request target.",
                    }
                },
            )
        status, reply = graph.handle(
            self.sandbox.directory,
            claims,
            path,
            query,
            # This server's own Graph host, for absolute @odata.nextLink URLs.
            self.sandbox.hosts(self.graph_cloud)[1],
            version,
        )
        return status, {}, graph_body(reply, self.sandbox.directory.variants)

    def _graph(self, path: str, query: dict[str, str], version: str = "v1.0") -> None:
        claims = self._claims()
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
        status, headers, body = self._graph_answer(claims, "GET", path, query, None, version)
        self._json(status, body, headers)

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

    login = "global"

    def do_GET(self) -> None:
        path, query = self._split()
        parts = path.strip("/").split("/")
        pages = self.sandbox.page_sets[self.login]
        if path.rstrip("/") == PORTAL_PATH:
            self._html(*portal.portal_page(self.sandbox.directory))
        elif len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "authorize"]:
            self._html(*pages.authorize(parts[0], query))
        elif len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]:
            self._html(*pages.admin_consent_page(parts[0], query))
        else:
            self._html(404, {}, "<!DOCTYPE html><title>Not found</title><p>Not found.</p>")

    def do_POST(self) -> None:
        path, _ = self._split()
        parts = path.strip("/").split("/")
        if path.rstrip("/") == PORTAL_PATH:
            self._html(*portal.portal_post(self.sandbox.directory, self._form()))
        elif len(parts) == 3 and parts[1:] == ["v2.0", "adminconsent"]:
            pages = self.sandbox.page_sets[self.login]
            self._html(*pages.admin_consent_decide(parts[0], self._form()))
        else:
            self._html(404, {}, "<!DOCTYPE html><title>Not found</title><p>Not found.</p>")


class Sandbox:
    """A local identity provider speaking the Microsoft identity platform protocol.

    Use as a context manager or call :meth:`start` and :meth:`stop`. ``authority_host`` and
    ``graph_host`` (the Global cloud's) are what ``APP_PROFILES_AUTHORITY_HOST`` and
    ``APP_PROFILES_GRAPH_HOST`` take; :meth:`hosts` gives each cloud's, and :meth:`env` sets
    the per-cloud variables too. ``ca_path`` is what ``REQUESTS_CA_BUNDLE`` takes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.directory = Directory()
        self.faults = FaultTable()
        self.traffic = Traffic()
        self.issuers = {login: Issuer(self.directory, self.faults, login) for login in LOGINS}
        for each in self.issuers.values():
            each.peers = self.issuers
        self.issuer = self.issuers["global"]
        options = PageOptions()
        self.page_sets = {
            login: Pages(self.directory, issuer, options) for login, issuer in self.issuers.items()
        }
        self.pages = self.page_sets["global"]
        self.scenario = Scenario(self.directory, self.faults, self.issuer, self.pages)
        self.scenario.issuers = list(self.issuers.values())
        self.ca_path: Path | None = None
        self._graph_urls: dict[str, str] = {}
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

    @property
    def partner_center_host(self) -> str:
        """What ``APP_PROFILES_PARTNER_CENTER_HOST`` takes (served by the Global host)."""
        return f"{self.issuer.base_url}{gdap.PARTNER_CENTER_PREFIX}"

    @property
    def portal_url(self) -> str:
        """The page where a customer-owned app's certificate is uploaded (plain http)."""
        return f"{self.pages_url}{PORTAL_PATH}"

    def hosts(self, cloud: str) -> tuple[str, str]:
        """``(authority host, Graph host)`` of *cloud* (``global``, ``usgov``, ``usgov-dod``,
        ``china``) as this sandbox serves them."""
        return self.issuers[CLOUDS[cloud].login].base_url, self._graph_urls[cloud]

    def env(self) -> dict[str, str]:
        """The environment that points the app at this sandbox, every cloud included."""
        env = {
            AUTHORITY_ENV: self.authority_host,
            GRAPH_ENV: self.graph_host,
            PARTNER_CENTER_ENV: self.partner_center_host,
            "REQUESTS_CA_BUNDLE": str(self.ca_path),
        }
        for cloud in CLOUDS:
            if cloud != "global":
                authority, graph_host = self.hosts(cloud)
                env[cloud_variable(AUTHORITY_ENV, Cloud(cloud))] = authority
                env[cloud_variable(GRAPH_ENV, Cloud(cloud))] = graph_host
        return env

    def jwk(self, issuer: Issuer | None = None) -> dict[str, Any]:
        from desktop.sandbox.jws import b64url

        issuer = issuer or self.issuer
        numbers = issuer.key.public_key().public_numbers()
        size = (numbers.n.bit_length() + 7) // 8
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": issuer.kid,
            "alg": "RS256",
            "n": b64url(numbers.n.to_bytes(size, "big")),
            "e": b64url(numbers.e.to_bytes(3, "big")),
        }

    def _api_server(
        self, material: ca.TlsMaterial, login: str, graph_cloud: str, serves_login: bool
    ) -> ThreadingHTTPServer:
        attributes = {
            "sandbox": self,
            "login": login,
            "graph_cloud": graph_cloud,
            "serves_login": serves_login,
        }
        handler = type("ApiHandler", (_ApiHandler,), attributes)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.socket = ca.server_ssl_context(material).wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        return server

    def start(self) -> Sandbox:
        material = ca.generate_tls()
        self.ca_path = ca.write_ca(material, self.folder)
        servers: list[ThreadingHTTPServer] = []
        for login, issuer in self.issuers.items():
            # The sign-in host also serves the Graph of its first cloud (Global, GCC High,
            # China); DoD's Graph is a host of its own.
            graph_cloud = next(c.name for c in CLOUDS.values() if c.login == login)
            api_server = self._api_server(material, login, graph_cloud, True)
            pages = type("PagesHandler", (_PagesHandler,), {"sandbox": self, "login": login})
            pages_server = ThreadingHTTPServer(("127.0.0.1", 0), pages)
            issuer.base_url = f"https://127.0.0.1:{api_server.server_address[1]}"
            issuer.pages_url = f"http://127.0.0.1:{pages_server.server_address[1]}"
            self._graph_urls[graph_cloud] = issuer.base_url
            servers += [api_server, pages_server]
        dod = self._api_server(material, "usgov", "usgov-dod", False)
        self._graph_urls["usgov-dod"] = f"https://127.0.0.1:{dod.server_address[1]}"
        servers.append(dod)
        for issuer in self.issuers.values():
            issuer.graph_urls = {
                c.name: self._graph_urls[c.name] for c in CLOUDS.values() if c.login == issuer.login
            }
        for server in servers:
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
