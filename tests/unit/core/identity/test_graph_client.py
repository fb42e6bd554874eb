"""The consent-time Graph reader against a real local HTTP server: Graph's paging and
throttling as documented (absolute ``@odata.nextLink`` used as is, Retry-After honoured)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from desktop.core.endpoints import Endpoints
from desktop.core.identity.graph import GraphClient, GraphError


class _Graph(ThreadingHTTPServer):
    """Answers from a script: path -> list of (status, headers, body), one per request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = {}
        self.seen: list[tuple[str, str]] = []  # (path with query, Authorization)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Graph

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Authorization", "")))
        answers = self.server.script.get(self.path.split("?")[0], [])
        status, headers, body = answers.pop(0) if answers else (404, {}, {"error": {}})
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def graph() -> Iterator[_Graph]:
    server = _Graph()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _client(server: _Graph, slept: list[float]) -> GraphClient:
    return GraphClient(Endpoints("http://unused", server.base), "tok", sleep=slept.append)


def test_an_absolute_next_link_is_followed_as_given(graph: _Graph) -> None:
    # Graph's nextLink is an opaque absolute URL; the host's case does not matter.
    upper = graph.base.replace("http://", "HTTP://")
    graph.script["/v1.0/items"] = [
        (200, {}, {"value": [{"id": 1}], "@odata.nextLink": f"{upper}/v1.0/items?$skiptoken=2"}),
        (
            200,
            {},
            {"value": [{"id": 2}], "@odata.nextLink": f"{graph.base}/v1.0/items?$skiptoken=3"},
        ),
        (200, {}, {"value": [], "@odata.context": "x"}),
    ]
    assert _client(graph, []).values("items") == [{"id": 1}, {"id": 2}]
    assert [p for p, _ in graph.seen] == [
        "/v1.0/items", "/v1.0/items?$skiptoken=2", "/v1.0/items?$skiptoken=3",
    ]  # fmt: skip


def test_a_next_link_to_another_host_is_not_sent_the_token(graph: _Graph) -> None:
    graph.script["/v1.0/items"] = [
        (200, {}, {"value": [{"id": 1}], "@odata.nextLink": "http://127.0.0.2:9/v1.0/items?x"}),
    ]
    with pytest.raises(GraphError, match="another host") as raised:
        _client(graph, []).values("items")
    assert raised.value.transient and len(graph.seen) == 1


def test_throttling_is_waited_out_with_or_without_retry_after(graph: _Graph) -> None:
    graph.script["/v1.0/sp"] = [
        (429, {}, {"error": {"code": "TooManyRequests"}}),
        (503, {"Retry-After": "3"}, {"error": {"code": "ServiceUnavailable"}}),
        (200, {}, {"id": "sp"}),
    ]
    slept: list[float] = []
    assert _client(graph, slept).get("sp") == {"id": "sp"}
    assert slept == [1.0, 3.0]  # a backoff without the header, then Graph's own wait


def test_a_long_retry_after_is_reported_not_waited_for(graph: _Graph) -> None:
    graph.script["/v1.0/sp"] = [(429, {"Retry-After": "600"}, {"error": {}})]
    slept: list[float] = []
    with pytest.raises(GraphError, match="HTTP 429") as raised:
        _client(graph, slept).get("sp")
    assert raised.value.transient and slept == []
