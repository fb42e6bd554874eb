"""The technician's Graph token is asked for once per tenant in a run, and again near expiry."""

from __future__ import annotations

import threading
from collections import Counter

from desktop.core.checks.token_reuse import TokenReuse, expires_at
from desktop.core.endpoints import Endpoints, endpoints_for
from tests.helpers.identity_fakes import unsigned_jwt

NOW = 1_800_000_000.0


class Provider:
    def __init__(self, lifetime: float = 3600) -> None:
        self.asked: Counter[str] = Counter()
        self.lifetime = lifetime
        self.lock = threading.Lock()

    def __call__(self, endpoints: Endpoints, tenant_id: str) -> str | None:
        with self.lock:
            self.asked[tenant_id] += 1
        if tenant_id == "nobody":
            return None
        return unsigned_jwt({"tid": tenant_id, "exp": NOW + self.lifetime})


def test_each_tenant_is_asked_once_even_by_concurrent_checks() -> None:
    provider = Provider()
    reuse = TokenReuse(provider, clock=lambda: NOW)
    tokens: list[str | None] = []

    def check(tenant: str) -> None:
        tokens.append(reuse(endpoints_for(), tenant))

    threads = [threading.Thread(target=check, args=(t,)) for t in ["a", "b"] * 5]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert provider.asked == {"a": 1, "b": 1}
    assert len(set(tokens)) == 2


def test_a_token_near_its_expiry_is_asked_for_again() -> None:
    provider = Provider(lifetime=200)  # less than the five minutes' margin
    reuse = TokenReuse(provider, clock=lambda: NOW)
    assert reuse(endpoints_for(), "a") and reuse(endpoints_for(), "a")
    assert provider.asked == {"a": 2}


def test_no_sign_in_is_not_asked_again_in_the_run() -> None:
    provider = Provider()
    reuse = TokenReuse(provider, clock=lambda: NOW)
    assert reuse(endpoints_for(), "nobody") is None
    assert reuse(endpoints_for(), "nobody") is None
    assert provider.asked == {"nobody": 1}


def test_an_unreadable_token_has_no_expiry() -> None:
    assert expires_at("not-a-jwt") == 0.0
    assert expires_at(unsigned_jwt({"exp": 5})) == 5.0
