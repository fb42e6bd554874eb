"""The sandbox's Graph over real HTTP, for the tenant-name unit tests: each bearer token stands
for a set of claims, so a test chooses what the technician's token carries."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from desktop.core.identity.signin import Account
from desktop.sandbox import graph
from desktop.sandbox.directory import Directory


@dataclass
class TenantInfoGraph:
    directory: Directory
    #: Bearer token -> the claims it stands for.
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str = ""


@contextmanager
def tenant_info_graph(directory: Directory) -> Iterator[TenantInfoGraph]:
    served = TenantInfoGraph(directory)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            claims = served.tokens.get(bearer)
            path = unquote(urlsplit(self.path).path).removeprefix("/v1.0/")
            if claims is None:
                status, body = 401, {"error": {"code": "InvalidAuthenticationToken"}}
            else:
                status, body = graph.handle(directory, claims, path, {}, served.url)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class SignedInTechnician:
    """A technician session's two reads the look-up uses: accounts and a cached token."""

    def __init__(self, tenant_id: str, token: str | None) -> None:
        self.tenant_id = tenant_id
        self.token = token

    def accounts(self, endpoints: object) -> list[Account]:
        if self.token is None:
            return []
        return [Account("tech@msp.example", self.tenant_id, f"oid.{self.tenant_id}")]

    def graph_token(self, endpoints: object, tenant_id: str) -> str | None:
        return self.token if tenant_id == self.tenant_id else None
