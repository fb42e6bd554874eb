"""A single-use loopback listener for the browser's redirect (admin consent, sign-in).

It binds 127.0.0.1 on an ephemeral port, refuses peers that are not loopback, answers only
requests addressed to ``localhost:PORT`` or ``127.0.0.1:PORT`` (the ``Host`` header; a web page
that rebinds its own name to 127.0.0.1 sends its name), answers only its own path
(``/favicon.ico`` and strays get 404 and change nothing), and accepts one answer whose ``state``
matches. A malformed request (a bad ``Content-Length``) gets 400 and never a traceback: any
local process can connect. GET (query) and POST (``form_post``) both work. It answers the browser
with a small page that says what happened and that the tab can be closed, and it is closed on
every path: answer, timeout, cancel or error.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from desktop.core.cancel import CancelToken
from desktop.core.deadline import current_deadline
from desktop.core.errors import CancelledError, UserError

log = logging.getLogger(__name__)

#: The largest form body read; a real answer is a few kilobytes.
MAX_BODY_BYTES = 1 << 20
#: How long a connection may take to send its request before it is dropped.
REQUEST_TIMEOUT_S = 30.0
_DIGITS = re.compile(r"[0-9]{1,8}")


@dataclass(frozen=True)
class BrowserPage:
    """What the browser tab shows after the redirect."""

    ok: bool
    title: str
    message: str


#: Decides what an answer means (in the listener's thread, before the browser is answered):
#: returns the page to show and the outcome (a value, or a UserError) handed to :meth:`wait`.
Interpret = Callable[[dict[str, str]], tuple[BrowserPage, object]]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def render_page(page: BrowserPage, app_name: str = "App Profile Manager") -> bytes:
    colour = "#1b5e20" if page.ok else "#b00020"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(page.title)}</title><style>body{{font-family:sans-serif;"
        f"max-width:36rem;margin:3rem auto;color:#222}}h1{{color:{colour};font-size:1.4rem}}"
        "</style></head><body>"
        f"<h1>{html.escape(page.title)}</h1><p>{html.escape(page.message)}</p>"
        f"<p>You can close this tab and return to {html.escape(app_name)}.</p></body></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    listener: LoopbackListener

    def verify_request(self, request: Any, client_address: Any) -> bool:
        # Bound to 127.0.0.1 already; this is defence in depth against a misconfigured bind.
        return is_loopback(str(client_address[0]))

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One quiet log line: the default prints a traceback to stderr for any local caller."""
        log.debug("the consent listener dropped a broken connection", exc_info=False)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    timeout = REQUEST_TIMEOUT_S

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the answer holds secrets (codes) that must not reach logs."""

    def do_GET(self) -> None:
        if not self._host_is_ours():
            self._answer(400, _WRONG_HOST)
            return
        parts = urlsplit(self.path)
        self._handle(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))

    def do_POST(self) -> None:
        if not self._host_is_ours():
            self._answer(400, _WRONG_HOST)
            return
        length = self._content_length()
        if length is None:
            self._answer(400, _BAD_REQUEST)
            return
        parts = urlsplit(self.path)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(parse_qsl(body, keep_blank_values=True))
        self._handle(parts.path, params)

    def _host_is_ours(self) -> bool:
        """True when the request names this listener: ``localhost:PORT`` or ``127.0.0.1:PORT``."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        port = self.server.listener.port
        return hosts[0].strip().lower() in (f"localhost:{port}", f"127.0.0.1:{port}")

    def _content_length(self) -> int | None:
        """The body's length; 0 when absent; None when malformed, repeated or too large."""
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return 0
        if len(values) != 1 or not _DIGITS.fullmatch(values[0].strip()):
            return None
        length = int(values[0].strip())
        return length if length <= MAX_BODY_BYTES else None

    def _handle(self, path: str, params: dict[str, str]) -> None:
        status, page = self.server.listener._receive(path, params)
        self._answer(status, page)

    def _answer(self, status: int, page: BrowserPage) -> None:
        body = render_page(page)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


_NOT_OURS = BrowserPage(False, "Not found", "This address is not part of a sign-in or consent.")
_WRONG_STATE = BrowserPage(
    False,
    "This answer does not belong to the request in progress",
    "The browser returned an answer for a different or older request, so it was ignored.",
)
_DONE = BrowserPage(False, "Already answered", "This request was already answered.")
_WRONG_HOST = BrowserPage(
    False, "Not for this address", "Only this computer's browser, at localhost, can answer here."
)
_BAD_REQUEST = BrowserPage(
    False, "Bad request", "The request could not be read, so it was ignored."
)


class LoopbackListener:
    """Listens on ``http://localhost:{port}{path}`` for one answer carrying *state*."""

    def __init__(
        self, path: str, state: str, interpret: Interpret, host: str = "127.0.0.1"
    ) -> None:
        self.path = path
        self.state = state
        self._interpret = interpret
        self._lock = threading.Lock()
        self._answered = threading.Event()
        self._outcome: object = None
        self._closed = False
        self.stray_requests = 0
        self._server = _Server((host, 0), _Handler)
        self._server.listener = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="loopback-listener",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        """``http://localhost:{port}{path}``; Entra ignores the port for localhost."""
        return f"http://localhost:{self.port}{self.path}"

    def _receive(self, path: str, params: dict[str, str]) -> tuple[int, BrowserPage]:
        if path.rstrip("/") != self.path.rstrip("/"):
            with self._lock:
                self.stray_requests += 1
            return 404, _NOT_OURS
        with self._lock:
            if self._answered.is_set() or self._closed:
                return 409, _DONE
            if not params.get("state") or params.get("state") != self.state:
                self.stray_requests += 1
                return 400, _WRONG_STATE
            try:
                page, outcome = self._interpret(params)
            except UserError as exc:  # an interpreter may raise rather than return
                page, outcome = BrowserPage(False, "Something went wrong", exc.message), exc
            self._outcome = outcome
            self._answered.set()
        return (200 if page.ok else 400), page

    def wait(self, timeout: float, cancel: CancelToken | None = None) -> object:
        """The outcome of the answer. Raises on timeout or cancel, and always closes."""
        cancel = cancel or CancelToken()
        try:
            # The command's deadline (the CLI's --timeout) covers more than this wait.
            remaining = current_deadline().bound(timeout)
            while remaining > 0:
                step = min(0.1, remaining)
                if self._answered.wait(step):
                    break
                if cancel.cancelled:
                    raise CancelledError("Cancelled; the browser's answer will be ignored.")
                remaining -= step
            else:
                if not self._answered.is_set():
                    minutes = timeout / 60
                    shown = f"{minutes:g} minutes" if timeout >= 60 else f"{timeout:g} seconds"
                    raise UserError(
                        f"No answer came from the browser within {shown}.",
                        remedy="Finish the steps in the browser sooner, or start again.",
                    )
            outcome = self._outcome
            if isinstance(outcome, UserError):
                raise outcome
            return outcome
        finally:
            self.close()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
