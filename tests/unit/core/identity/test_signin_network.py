"""Sign-in against a sign-in host that is gone or silent: a UserError, never a raw
requests exception (the GUI and the CLI both show it as one line)."""

from __future__ import annotations

import pytest

from desktop.core.deadline import deadline_for
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.signin import MemoryTokenCacheStore, interactive
from tests.helpers.dead_hosts import closed_port, silent_server

CLIENT_ID = "11111111-2222-4333-8444-555555555555"


def _sign_in(host: str) -> None:
    interactive(
        CLIENT_ID,
        Endpoints(host, host),
        "organizations",
        ["https://graph.microsoft.com/.default"],
        MemoryTokenCacheStore(),
        timeout=30,
        open_browser=lambda url: pytest.fail("no browser may open without discovery"),
    )


def test_an_unreachable_sign_in_host_is_a_user_error() -> None:
    with pytest.raises(UserError, match="could not be reached") as info:
        _sign_in(f"https://127.0.0.1:{closed_port()}")
    assert "127.0.0.1" in info.value.message


def test_a_silent_sign_in_host_ends_at_the_deadline() -> None:
    with silent_server() as host, deadline_for(1.5), pytest.raises(UserError) as info:
        _sign_in(host)
    assert "time limit of 1.5 seconds" in info.value.message
