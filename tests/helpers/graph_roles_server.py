"""A minimal Graph for "Assign now" unit tests: service principals, role definitions and
role assignments over real HTTP (the e2e tests use the sandbox)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RolesGraph:
    service_principals: dict[str, str] = field(default_factory=dict)  # appId -> sp id
    roles: dict[str, str] = field(default_factory=dict)  # displayName -> id
    assignments: list[dict[str, str]] = field(default_factory=list)
    forbid: bool = False
    hide_after_post: bool = False
    posts: int = 0
    url: str = ""


def _match(expression: str, item: dict[str, Any]) -> bool:
    for clause in expression.split(" and "):
        key, _, value = clause.partition(" eq ")
        if str(item.get(key.strip())) != value.strip().strip("'"):
            return False
    return True


@contextmanager
def roles_graph() -> Iterator[RolesGraph]:
    graph = RolesGraph()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path.removeprefix("/v1.0/")
            expression = parse_qs(parts.query).get("$filter", [""])[0]
            if path == "servicePrincipals":
                items = [
                    {"id": sp, "appId": app, "displayName": f"App {app[:8]}"}
                    for app, sp in graph.service_principals.items()
                ]
            elif path == "roleManagement/directory/roleDefinitions":
                items = [{"id": i, "displayName": n} for n, i in graph.roles.items()]
            elif path == "roleManagement/directory/roleAssignments":
                items = [] if graph.hide_after_post else list(graph.assignments)
                if "roleDefinition" in parse_qs(parts.query).get("$expand", [""])[0]:
                    names = {i: n for n, i in graph.roles.items()}
                    items = [
                        {**a, "roleDefinition": {"displayName": names.get(a["roleDefinitionId"])}}
                        for a in items
                    ]
            else:
                self._reply(400, {"error": {"code": "BadRequest", "message": path}})
                return
            self._reply(200, {"value": [i for i in items if _match(expression, i)]})

        def do_POST(self) -> None:
            if graph.forbid:
                self._reply(
                    403,
                    {
                        "error": {
                            "code": "Authorization_RequestDenied",
                            "message": "Insufficient privileges.",
                        }
                    },
                )
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            graph.posts += 1
            item = {
                "id": str(uuid.uuid4()),
                "principalId": body["principalId"],
                "roleDefinitionId": body["roleDefinitionId"],
            }
            graph.assignments.append(item)
            self._reply(201, item)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    graph.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield graph
    finally:
        server.shutdown()
        server.server_close()
