"""Hostile local requests to the loopback listener: wrong Host, bad Content-Length."""

from __future__ import annotations

import random
import socket

import pytest

from desktop.core.identity.admin_consent import AdminConsentResult, interpret_answer
from desktop.core.identity.loopback import LoopbackListener

TENANT = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"
GOOD_QUERY = f"state=s3cret&admin_consent=True&tenant={TENANT}&scope=x"


def _listener() -> LoopbackListener:
    return LoopbackListener(
        "/consent", "s3cret", lambda p: interpret_answer(p, TENANT, "contoso.onmicrosoft.com")
    )


def _raw(port: int, request: bytes) -> bytes:
    """Send *request* as is, half-close, and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "localhost",
        "127.0.0.1",
        "localhost:1",
        "127.0.0.2:{port}",
        "[::1]:{port}",
        "localhost:{port}.evil.example",
        None,
    ],
)
def test_an_answer_with_a_foreign_host_is_refused(
    host: str | None, capfd: pytest.CaptureFixture[str]
) -> None:
    with _listener() as listener:
        header = "" if host is None else f"Host: {host.format(port=listener.port)}\r\n"
        answer = _raw(listener.port, f"GET /consent?{GOOD_QUERY} HTTP/1.1\r\n{header}\r\n".encode())
        assert _status(answer) == 400
        assert not listener._answered.is_set()
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("host", ["localhost:{port}", "LOCALHOST:{port}", "127.0.0.1:{port}"])
def test_an_answer_for_this_listener_is_accepted(host: str) -> None:
    listener = _listener()
    request = (
        f"GET /consent?{GOOD_QUERY} HTTP/1.1\r\nHost: {host.format(port=listener.port)}\r\n\r\n"
    )
    assert _status(_raw(listener.port, request.encode())) == 200
    assert listener.wait(5) == AdminConsentResult(TENANT, "x")


def _bad_lengths(seed: int, count: int) -> list[str]:
    """Content-Length values that are not one plain decimal number within the body limit."""
    rng = random.Random(seed)
    fixed = ["abc", "-1", "-99999", "1e3", "0x10", " ", "+5", "1.5", "٣", "99999999999999999999"]
    fixed += [str(1 << 21), "5, 5", "\x00"]
    alphabet = "0123456789-+.eEx ,;\t" + "abc"
    made = []
    while len(made) < count:
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))).strip()
        if not value.isdigit():
            made.append(value or "-")
    return fixed + made


@pytest.mark.parametrize("length", _bad_lengths(seed=16, count=40))
def test_a_bad_content_length_gets_400_and_no_traceback(
    length: str, capfd: pytest.CaptureFixture[str]
) -> None:
    listener = _listener()
    try:
        body = GOOD_QUERY.encode()
        request = (
            f"POST /consent HTTP/1.1\r\nHost: localhost:{listener.port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
        ).encode() + body
        answer = _raw(listener.port, request)
        assert answer == b"" or _status(answer) == 400
        assert not listener._answered.is_set()
        # The listener still takes the real answer afterwards.
        good = (
            f"POST /consent HTTP/1.1\r\nHost: localhost:{listener.port}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        assert _status(_raw(listener.port, good)) == 200
        assert listener.wait(5) == AdminConsentResult(TENANT, "x")
    finally:
        listener.close()
    assert "Traceback" not in capfd.readouterr().err


def test_repeated_content_length_headers_are_refused() -> None:
    with _listener() as listener:
        body = GOOD_QUERY.encode()
        request = (
            f"POST /consent HTTP/1.1\r\nHost: localhost:{listener.port}\r\n"
            f"Content-Length: {len(body)}\r\nContent-Length: 3\r\n\r\n"
        ).encode() + body
        assert _status(_raw(listener.port, request)) == 400
        assert not listener._answered.is_set()


def test_garbage_requests_never_print_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(1016)
    with _listener() as listener:
        for _ in range(60):
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            prefix = rng.choice([b"", b"GET / HTTP/1.1\r\n", b"POST /consent HTTP/1.1\r\n"])
            _raw(listener.port, prefix + junk)
        assert not listener._answered.is_set()
    assert "Traceback" not in capfd.readouterr().err
