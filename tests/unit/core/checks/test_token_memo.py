"""The token memo: valid answers handed out until five minutes before expiry, refusals and
failures never kept, one request per key for concurrent checks, nothing shown in a repr."""

from __future__ import annotations

import threading

import pytest

from desktop.core.checks.gateway import TokenError
from desktop.core.checks.token_memo import Memoised, MemoKey, ReusedClaims, TokenMemo, claims_of

KEY = MemoKey.of("app", "https://LOGIN.example/", "T1", "C1", "ABCDEF", "R1")
SECRET = "eyJ.secret-token.sig"


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _answer(expires_in: float = 3600.0, now: float = 1_000.0) -> Memoised:
    return Memoised({"roles": ["A"]}, now + expires_in, now, access_token=SECRET)


def test_a_valid_answer_is_reused_until_five_minutes_before_expiry() -> None:
    clock = _Clock()
    memo = TokenMemo(clock=clock)
    asked: list[int] = []

    def fetch() -> Memoised:
        asked.append(1)
        return _answer(now=clock.now)

    first = memo.get(KEY, fetch)
    assert isinstance(first, Memoised) and not first.reused
    clock.now += 3600 - 301
    again = memo.get(KEY, fetch)
    assert isinstance(again, Memoised) and again.reused
    assert len(asked) == 1
    clock.now += 2  # now inside the last five minutes
    renewed = memo.get(KEY, fetch)
    assert isinstance(renewed, Memoised) and not renewed.reused
    assert len(asked) == 2


def test_fresh_asks_again_and_keeps_the_new_answer() -> None:
    memo = TokenMemo(clock=_Clock())
    answers = iter([_answer(), Memoised({"roles": ["B"]}, 5_000.0, 1_000.0)])
    memo.get(KEY, lambda: next(answers))
    fresh = memo.get(KEY, lambda: next(answers), fresh=True)
    assert isinstance(fresh, Memoised) and fresh.claims == {"roles": ["B"]}
    reused = memo.get(KEY, lambda: pytest.fail("not asked again"))  # type: ignore[arg-type,return-value]
    assert isinstance(reused, Memoised) and reused.claims == {"roles": ["B"]}


def test_a_refusal_or_a_failure_is_not_kept_and_evicts() -> None:
    memo = TokenMemo(clock=_Clock())
    memo.get(KEY, _answer)
    refused = memo.get(KEY, lambda: TokenError("invalid_client", (700027,)), fresh=True)
    assert isinstance(refused, TokenError)
    assert len(memo) == 0

    def broken() -> Memoised:
        raise OSError("network")

    with pytest.raises(OSError):
        memo.get(KEY, broken)
    assert len(memo) == 0


def test_an_answer_already_near_expiry_is_not_kept() -> None:
    memo = TokenMemo(clock=_Clock())
    memo.get(KEY, lambda: _answer(expires_in=200))
    assert len(memo) == 0


def test_concurrent_checks_of_one_key_wait_for_one_request() -> None:
    memo = TokenMemo(clock=_Clock())
    release = threading.Event()
    asked: list[int] = []

    def slow() -> Memoised:
        asked.append(1)
        release.wait(5)
        return _answer()

    answers: list[object] = []
    threads = [
        threading.Thread(target=lambda: answers.append(memo.get(KEY, slow))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(5)
    assert len(asked) == 1
    assert len(answers) == 4


def test_another_certificate_forgets_the_old_ones_tokens_only() -> None:
    memo = TokenMemo(clock=_Clock())
    other_resource = MemoKey.of("app", "https://login.example", "t1", "c1", "abcdef", "r2")
    other_app = MemoKey.of("app", "https://login.example", "t1", "c2", "abcdef", "r1")
    for key in (KEY, other_resource, other_app):
        memo.get(key, _answer)
    new_cert = MemoKey.of("app", "https://login.example", "t1", "c1", "123456", "r1")
    memo.keep_only_credential(new_cert)
    assert len(memo) == 1  # only the other app's token is left
    memo.get(other_app, lambda: pytest.fail("kept"))  # type: ignore[arg-type,return-value]


def test_keys_compare_without_case_or_trailing_slash() -> None:
    assert MemoKey.of("app", "https://login.example", "t1", "c1", "abcdef", "r1") == KEY


def test_reused_claims_say_when_the_token_was_issued() -> None:
    memo = TokenMemo(clock=_Clock())
    memo.get(KEY, _answer)
    reused = memo.get(KEY, _answer)
    assert isinstance(reused, Memoised)
    claims = claims_of(reused)
    assert isinstance(claims, ReusedClaims) and claims.issued_at == 1_000.0
    assert claims["roles"] == ["A"]


def test_nothing_shows_the_token_in_a_repr() -> None:
    memo = TokenMemo(clock=_Clock())
    answer = memo.get(KEY, _answer)
    assert SECRET not in repr(answer)
    assert SECRET not in repr(memo)
    assert "roles" not in repr(answer)
