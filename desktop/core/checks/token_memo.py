"""Access tokens the checks already have, reused instead of asked for again (in memory only).

A custom-mode check asks for one client-credentials token per API its app type lists
(``{resourceAppId}/.default``), and a user-consent check redeems the consenting user's refresh
token once per API. MSAL does not answer a ``.default`` request from its cache (the token lists
the granted permissions, not ``.default``; see :mod:`desktop.core.checks.token_reuse`), so
without this memo every check costs a token request per API. The process's checks (the GUI
session's, one CLI run's) share one :class:`TokenMemo`:

- the key is the authority host, the tenant, the client ID, the credential's thumbprint or the
  consenting user's name, and the resource; the value is what the token response said (the
  app token's claims, the user token's granted scopes) and when it expires. The access token
  itself is kept only where the check reads Graph with it (the app's Microsoft Graph token);
- an answer is handed out until five minutes before it expires; concurrent checks of one key
  wait for the one request made for it;
- a refusal, a failure, or a Graph read refused with the token evicts it, and so does a
  profile whose certificate changed (its other thumbprint's tokens go);
- nothing is written to disk or to the logs (the values have no ``repr`` of their contents).

**When a token is asked for anyway (fresh).** A check that must see the tenant *now* bypasses
the memo and stores the new answer: the check that follows a consent, a re-authorization or a
certificate rotation, the first check of profiles the wizard just saved, a check of a single
profile in the window ("check again"), and the CLI's ``check --fresh-tokens``. A bulk "Check
all" and a plain CLI ``check`` reuse. Custom-mode checks read the app's granted permissions from
Graph with the technician's sign-in when it is there, so a reused token only proves the
credential still works; without that sign-in the grants come from the token's ``roles`` claim,
and when that token was reused the reason says "as of" its issue time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, runtime_checkable

from desktop.core.checks.gateway import TokenError

MARGIN = 300.0  # seconds before expiry a token is no longer handed out


@dataclass(frozen=True)
class MemoKey:
    """Which token: an app's (``who`` is the certificate's thumbprint) or a user's (``who`` is
    the user's name), for one client in one tenant of one cloud, for one resource."""

    kind: str  # "app" or "user"
    authority_host: str
    tenant: str
    client_id: str
    who: str
    resource: str

    @classmethod
    def of(
        cls, kind: str, authority_host: str, tenant: str, client_id: str, who: str, resource: str
    ) -> MemoKey:
        """The key with every part spelled as lookups compare it."""
        return cls(
            kind,
            authority_host.rstrip("/").lower(),
            tenant.lower(),
            client_id.lower(),
            who.casefold(),
            resource.lower(),
        )


@dataclass(frozen=True)
class Memoised:
    """One token answer: its claims (or granted scopes), when it was issued and expires."""

    claims: Mapping[str, Any] = field(repr=False)
    expires_at: float
    issued_at: float = 0.0
    #: The access token, only where the check reads Graph with it; never shown.
    access_token: str = field(default="", repr=False)
    #: Whether this answer came from the memo (an earlier request) rather than a new one.
    reused: bool = False


Fetch = Callable[[], "Memoised | TokenError"]


class ReusedClaims(dict[str, Any]):
    """The claims (or granted scopes) of a token an earlier check got, and when it was issued
    (seconds since the epoch): what they show is as of then, not now."""

    issued_at: float

    def __init__(self, claims: Mapping[str, Any], issued_at: float) -> None:
        super().__init__(claims)
        self.issued_at = issued_at


def claims_of(answer: Memoised) -> Mapping[str, Any]:
    """*answer*'s claims, as :class:`ReusedClaims` when they came from the memo."""
    return ReusedClaims(answer.claims, answer.issued_at) if answer.reused else answer.claims


@runtime_checkable
class TokenReuser(Protocol):
    """A gateway that reuses valid tokens, and can be told to ask for fresh ones."""

    def reuse_tokens(self, reuse: bool) -> bool:
        """Reuse memoised tokens from now on (or not); returns the setting before."""


class TokenMemo:
    """The memo of token answers (see the module docstring); thread-safe."""

    def __init__(self, *, margin: float = MARGIN, clock: Callable[[], float] = time.time) -> None:
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        self._per_key: dict[MemoKey, threading.Lock] = {}
        self._answers: dict[MemoKey, Memoised] = {}
        #: Token requests made through the memo (what a reuse saved is the difference).
        self.requests = 0

    def __repr__(self) -> str:  # never the tokens, even by accident in a log line
        return f"<TokenMemo {len(self._answers)} tokens>"

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)

    def get(self, key: MemoKey, fetch: Fetch, *, fresh: bool = False) -> Memoised | TokenError:
        """The memoised answer for *key* while it is valid (unless *fresh*), else *fetch*'s.

        A refusal (:class:`TokenError`) or an exception from *fetch* leaves nothing stored."""
        with self._lock:
            key_lock = self._per_key.setdefault(key, threading.Lock())
        with key_lock:  # the key's other checks wait for this answer instead of asking
            if not fresh:
                known = self._valid(key)
                if known is not None:
                    return replace(known, reused=True)
            self.evict(key)
            with self._lock:
                self.requests += 1
            answer = fetch()
            if isinstance(answer, Memoised) and answer.expires_at - self._margin > self._clock():
                with self._lock:
                    self._answers[key] = replace(answer, reused=False)
            return answer

    def _valid(self, key: MemoKey) -> Memoised | None:
        with self._lock:
            known = self._answers.get(key)
        if known is None or known.expires_at - self._margin <= self._clock():
            return None
        return known

    def evict(self, key: MemoKey) -> None:
        """Forget *key*'s token (refused, or a Graph read refused it)."""
        with self._lock:
            self._answers.pop(key, None)

    def keep_only_credential(self, key: MemoKey) -> None:
        """Forget the tokens of *key*'s app in its tenant that another certificate got."""
        with self._lock:
            for other in [
                k
                for k in self._answers
                if k.kind == key.kind
                and (k.authority_host, k.tenant, k.client_id)
                == (key.authority_host, key.tenant, key.client_id)
                and k.who != key.who
            ]:
                del self._answers[other]

    def clear(self) -> None:
        """Forget every token (e.g. the technician signed out)."""
        with self._lock:
            self._answers.clear()
