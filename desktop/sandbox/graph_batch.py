"""Graph's JSON batching: ``POST /{version}/$batch`` with up to 20 requests in one round trip.

Modelled on Microsoft Graph's documentation ("Combine multiple HTTP requests using JSON
batching", "Throttling and batching"):

- the body is ``{"requests": [...]}``; each request has an ``id`` (unique in the batch, not
  case-sensitive), a ``method`` and a ``url`` *relative* to the version (``/users`` or
  ``users?$select=id``), optional ``headers`` and a ``body``, which needs a ``Content-Type``
  header; ``dependsOn`` lists the ids a request waits for;
- a malformed batch (no ``requests``, more than 20, a missing or duplicate ``id``, an unknown
  ``dependsOn``, a body without ``Content-Type``, an absolute URL) is refused whole with 400;
- a parseable batch answers 200 with ``{"responses": [...]}``, one per request, each with its
  ``id``, ``status``, ``headers`` and ``body``, **not necessarily in the order asked**;
- each request is authorized and throttled as itself: one inner request may be 429 with a
  ``Retry-After`` header while the others succeed; a request whose dependency failed is 424.

The caller passes *answer*, which answers one request as the plain endpoint would (the same
token, the same faults), so a batch can never be more lenient than the requests in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from desktop.sandbox import graph_odata as od

#: The most requests one batch may carry.
MAX_REQUESTS = 20

#: ``answer(method, path, query, body)``: status, headers and body of one request.
Answer = Callable[[str, str, dict[str, str], Any], tuple[int, dict[str, str], dict[str, Any]]]

_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"


class _Malformed(Exception):
    """The batch cannot be parsed: the whole batch is refused with 400."""


def _validated(payload: object) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("requests"), list):
        raise _Malformed("Invalid batch payload format: a 'requests' array is required.")
    requests: list[dict[str, Any]] = payload["requests"]
    if not requests:
        raise _Malformed("Invalid batch payload format: the 'requests' array is empty.")
    if len(requests) > MAX_REQUESTS:
        raise _Malformed(f"Number of batch request steps exceeds the maximum of {MAX_REQUESTS}.")
    seen: set[str] = set()
    for request in requests:
        if not isinstance(request, dict):
            raise _Malformed("Invalid batch payload format: a request is not an object.")
        ident = request.get("id")
        if not isinstance(ident, str) or not ident:
            raise _Malformed("Invalid batch payload format: every request needs an 'id'.")
        if ident.casefold() in seen:
            raise _Malformed(f"Batch request id '{ident}' is not unique in the batch.")
        seen.add(ident.casefold())
        method, url = request.get("method"), request.get("url")
        if not isinstance(method, str) or not method:
            raise _Malformed(f"Request '{ident}' has no 'method'.")
        if not isinstance(url, str) or not url:
            raise _Malformed(f"Request '{ident}' has no 'url'.")
        if urlsplit(url).scheme or url.startswith("//"):
            raise _Malformed(f"Request '{ident}': the 'url' must be relative, e.g. '/users'.")
        headers = request.get("headers", {})
        if not isinstance(headers, dict):
            raise _Malformed(f"Request '{ident}': 'headers' must be an object.")
        if "body" in request and "content-type" not in {str(k).lower() for k in headers}:
            raise _Malformed(
                f"Request '{ident}': a request with a body needs a Content-Type header."
            )
    ids = {r["id"].casefold() for r in requests}
    for request in requests:
        depends = request.get("dependsOn", [])
        if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
            raise _Malformed(f"Request '{request['id']}': 'dependsOn' must be an array of ids.")
        for d in depends:
            if d.casefold() not in ids or d.casefold() == request["id"].casefold():
                raise _Malformed(f"Request '{request['id']}' depends on an unknown id '{d}'.")
    return requests


def _order(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests with every dependency before its dependants; a cycle is malformed."""
    by_id = {r["id"].casefold(): r for r in requests}
    done: list[dict[str, Any]] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def visit(key: str) -> None:
        if key in placed:
            return
        if key in visiting:
            raise _Malformed("The 'dependsOn' references form a cycle.")
        visiting.add(key)
        for d in by_id[key].get("dependsOn", []):
            visit(d.casefold())
        visiting.discard(key)
        placed.add(key)
        done.append(by_id[key])

    for r in requests:
        visit(r["id"].casefold())
    return done


def _split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path.strip("/"), dict(parse_qsl(parts.query, keep_blank_values=True))


def _inner(ident: str, status: int, headers: Mapping[str, str], body: object) -> dict[str, Any]:
    shown = {"Cache-Control": "no-cache", "Content-Type": _JSON, **headers}
    return {"id": ident, "status": status, "headers": shown, "body": body}


def handle_batch(payload: object, answer: Answer) -> tuple[int, dict[str, Any]]:
    """Answer a ``$batch`` body: 400 for a malformed batch, else 200 with every response."""
    try:
        ordered = _order(_validated(payload))
    except _Malformed as exc:
        return od.error(400, "BadRequest", str(exc))
    statuses: dict[str, int] = {}
    responses: list[dict[str, Any]] = []
    for request in ordered:
        ident = request["id"]
        if any(statuses.get(d.casefold(), 0) >= 400 for d in request.get("dependsOn", [])):
            status, body = od.error(424, "FailedDependency", "A request it depends on failed.")
            headers: dict[str, str] = {}
        else:
            path, query = _split(request["url"])
            if path.split("/")[0] == "$batch":
                status, body = od.error(400, "BadRequest", "A batch cannot hold a batch.")
                headers = {}
            else:
                status, headers, body = answer(
                    request["method"].upper(), path, query, request.get("body")
                )
        statuses[ident.casefold()] = status
        responses.append(_inner(ident, status, headers, body))
    # Graph says responses may come in any order: never in the order asked, here.
    responses.reverse()
    return 200, {"responses": responses}
