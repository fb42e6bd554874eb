"""Consenting users' sign-ins as team secrets: the token cache of a team member.

In team mode a delegated profile's check needs the refresh token of the customer's user who
consented, whoever of the team runs it. :class:`TeamTokenCache` is the MSAL cache store the
checks, consent and re-authorization use there:

- ``load`` returns this computer's cache (the technician's own sign-in, in the vault) with
  every consenting user's sign-in this member holds a share of, decrypted in memory only;
- ``save`` stores each consenting user's sign-in (:mod:`team_token_split`) as a team secret
  of the tenant's customer, envelope-encrypted exactly like a certificate (its own data key,
  wrapped for this member; ``team approve`` wraps it for colleagues whose scope includes
  the customer). A rotated refresh token is sealed again under the same data key, so every
  member keeps access. Only the rest goes to the local vault;
- ``missing_account`` tells a member who was not given a share yet that it is a wait for a
  colleague (:class:`~desktop.core.secrets.store.NotSharedYetError`), never Invalid.

Nothing is lost when the team database cannot be reached or written: the sign-in then stays
in the local vault (keyring-encrypted, as in solo mode) and moves on the next save.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import weakref
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

import msal

from desktop.core.errors import UserError
from desktop.core.identity.signin import TokenCacheStore
from desktop.core.secrets.envelope import open_secret, reseal, seal, unwrap, wrap
from desktop.core.secrets.store import WAITING, NotSharedYetError
from desktop.core.secrets.team_token_split import (
    TOKEN_KIND,
    Share,
    State,
    merged,
    split,
    token_secret_id,
    without,
)

if TYPE_CHECKING:
    from desktop.core.secrets.team_wiring import TeamSecrets

log = logging.getLogger(__name__)

#: What a member without a share of a consenting user's sign-in is asked to do.
TOKEN_REMEDY = (
    "Ask a colleague who holds this customer's secrets to run 'app-profiles-cli team approve' "
    "with your team user name; it shares the consenting user's sign-in too, so you need not "
    "sign in as that user."
)

Entries = frozenset[tuple[str, str]]

#: Seconds an unreachable team database is not asked again.
RETRY_AFTER_S = 60.0


def _parse(text: str) -> State:
    state = json.loads(text) if text.strip() else {}
    return state if isinstance(state, dict) else {}


def _entries(state: State) -> Entries:
    return frozenset(
        (section, key)
        for section, items in state.items()
        if isinstance(items, dict)
        for key in items
    )


def _canonical(state: State) -> bytes:
    return json.dumps(state, sort_keys=True, separators=(",", ":")).encode("utf-8")


class TeamTokenCache:
    """:class:`~desktop.core.identity.signin.TokenCacheStore` of a team member.

    *local* is this computer's encrypted cache; *team* opens the team's secret tables and
    this member's keys (called on first use, never on the GUI thread); *own_clients* are the
    technician's sign-in apps' client IDs, whose tokens never leave this computer.
    """

    def __init__(
        self,
        local: TokenCacheStore,
        team: Callable[[], TeamSecrets],
        own_clients: Callable[[], Collection[str]],
    ) -> None:
        self.local = local
        self._open_team = team
        self._team: TeamSecrets | None = None
        self._failure: tuple[float, UserError] | None = None
        self._own_clients = own_clients
        self._lock = threading.RLock()
        self._known: weakref.WeakKeyDictionary[msal.SerializableTokenCache, Entries] = (
            weakref.WeakKeyDictionary()
        )
        #: The shares each live cache holds as the team has them (not sent again unchanged).
        self._loaded: weakref.WeakKeyDictionary[msal.SerializableTokenCache, dict[str, bytes]] = (
            weakref.WeakKeyDictionary()
        )

    # -- the team side ---------------------------------------------------------------------
    def team(self) -> TeamSecrets:
        """The team's secret tables (opened once). Raises :class:`UserError` in words; after
        a failure, the same error for :data:`RETRY_AFTER_S` (an unreachable server is not
        waited for again by every check of the run)."""
        with self._lock:
            if self._team is None:
                failed = self._failure
                if failed is not None and time.monotonic() - failed[0] < RETRY_AFTER_S:
                    raise failed[1]
                try:
                    self._team = self._open_team()
                except UserError as exc:
                    self._failure = (time.monotonic(), exc)
                    raise
            return self._team

    def _enrolled_team(self, why: str) -> TeamSecrets | None:
        try:
            team = self.team()
            if team.keys.enrolled():
                return team
            log.info("not enrolled in the team (team enroll): %s", why)
        except UserError as exc:
            log.warning("team database unavailable, %s: %s", why, exc.one_line())
        return None

    def held_shares(self) -> dict[str, State]:
        """Every consenting user's sign-in this member holds, decrypted (in memory)."""
        team = self._enrolled_team("consenting users' sign-ins shared with you are not read")
        if team is None:
            return {}
        try:
            held = team.db.held_secrets(TOKEN_KIND)
            private = team.keys.private_key() if held else b""
        except UserError as exc:
            log.warning("shared sign-ins not read: %s", exc.one_line())
            return {}
        found: dict[str, State] = {}
        for row, wrapped in held:
            try:
                data_key = unwrap(row.secret_id, team.member, wrapped, private)
                found[row.secret_id] = _parse(
                    open_secret(row.secret_id, data_key, row.ciphertext).decode("utf-8")
                )
            except (UserError, ValueError) as exc:  # one damaged share does not stop the rest
                log.warning("shared sign-in %s not read: %s", row.secret_id, exc)
        return found

    def _publish(self, shares: list[Share], loaded: dict[str, bytes] | None = None) -> list[Share]:
        """Store each share as a team secret of its tenant's customer (or seal the current
        one again under its data key); returns the shares the team now holds. A share as it
        was *loaded* from the team (unchanged) is not sent again."""
        loaded = loaded or {}
        unchanged = [s for s in shares if loaded.get(s.secret_id) == _canonical(s.state)]
        shares = [s for s in shares if s not in unchanged]
        if not shares:
            return unchanged
        team = self._enrolled_team("consenting users' sign-ins stay on this computer")
        if team is None:
            return unchanged
        stored: list[Share] = list(unchanged)
        for share in shares:
            try:
                if self._publish_one(team, share):
                    stored.append(share)
            except UserError as exc:
                log.warning(
                    "the sign-in of %s stays on this computer: %s", share.username, exc.one_line()
                )
        return stored

    def _publish_one(self, team: TeamSecrets, share: Share) -> bool:
        plaintext = _canonical(share.state)
        row = team.db.secret(share.secret_id)
        if row is None:
            customer = team.db.customer_of_tenant(share.tenant_id)
            if customer is None:  # not a tenant of the team's inventory: nobody to share with
                return False
            data_key, ciphertext = seal(share.secret_id, plaintext)
            wrapped = wrap(share.secret_id, team.member, data_key, team.keys.public_key())
            del data_key
            team.db.put_secret(share.secret_id, TOKEN_KIND, customer, ciphertext, wrapped)
            return True
        mine = team.db.wrapped_key(share.secret_id, team.member)
        if mine is None:  # a colleague's share, not given to this member: keep it here
            log.info("sign-in of %s kept locally: its team share is not yours", share.username)
            return False
        data_key = unwrap(share.secret_id, team.member, mine, team.keys.private_key())
        if open_secret(share.secret_id, data_key, row.ciphertext) == plaintext:
            return True
        # Rotated: the same data key, so every member's wrapped key still opens it.
        resealed = reseal(share.secret_id, data_key, plaintext)
        return team.db.update_ciphertext(share.secret_id, resealed)

    # -- TokenCacheStore -----------------------------------------------------------------
    def load(self) -> msal.SerializableTokenCache:
        cache = self.local.load()
        state = _parse(cache.serialize())
        held = self.held_shares()
        for share_state in held.values():
            state = merged(state, share_state)
        cache.deserialize(json.dumps(state))
        cache.has_state_changed = False
        with self._lock:
            self._known[cache] = _entries(state)
            self._loaded[cache] = {sid: _canonical(v) for sid, v in held.items()}
        return cache

    def save(self, cache: msal.SerializableTokenCache) -> bool:
        if not cache.has_state_changed:
            return False
        with self._lock:
            text = cache.serialize()  # also clears has_state_changed
            try:
                state = _parse(text)
                known = self._known.get(cache, frozenset())
                loaded = self._loaded.get(cache, {})
                shared = self._publish(split(state, self._own_clients()), loaded)
                moved = frozenset().union(*(s.entries() for s in shared))
                self._write_local(without(state, shared), known | moved)
            except BaseException:
                cache.has_state_changed = True  # not stored: a later save must try again
                raise
            self._known[cache] = _entries(state)
            self._loaded[cache] = {**loaded, **{s.secret_id: _canonical(s.state) for s in shared}}
        return True

    def _write_local(self, ours: State, gone: Entries) -> None:
        """Merge *ours* into the local cache; the entries of *gone* that *ours* lacks
        (removed since loaded, or moved to the team) leave it."""
        from desktop.core.token_cache import merge

        fresh = self.local.load()
        stored = _parse(fresh.serialize())
        result = merge(stored, ours, gone)
        if result == stored:
            return
        fresh.deserialize(json.dumps(result))
        fresh.has_state_changed = True
        self.local.save(fresh)

    def clear(self) -> None:
        self.local.clear()

    def check_available(self) -> None:
        self.local.check_available()

    # -- for checks and the team commands --------------------------------------------------
    def missing_account(self, tenant_id: str, client_id: str, username: str) -> None:
        """Raise :class:`NotSharedYetError` when *username*'s sign-in for *client_id* in
        *tenant_id* is a team secret this member was not given (yet); return otherwise."""
        try:
            team = self.team()
            secret_id = token_secret_id(tenant_id, username, client_id)
            if team.db.secret(secret_id) is None:
                return  # not stored in the team either: "not stored on this computer"
            if not team.keys.enrolled():
                raise NotSharedYetError(
                    WAITING,
                    remedy="Run 'app-profiles-cli team enroll', then "
                    + TOKEN_REMEDY[0].lower()
                    + TOKEN_REMEDY[1:],
                )
            if team.db.wrapped_key(secret_id, team.member) is None:
                raise NotSharedYetError(WAITING, remedy=TOKEN_REMEDY)
        except NotSharedYetError:
            raise
        except UserError as exc:
            log.warning("team not asked for the sign-in of %s: %s", username, exc.one_line())

    def share_local(self) -> list[str]:
        """Move the consenting users' sign-ins this computer kept (before enrolling, or while
        the team database could not be written) into the team; returns the secret ids."""
        with self._lock:
            cache = self.local.load()
            state = _parse(cache.serialize())
            shared = self._publish(split(state, self._own_clients()))
            if shared:
                self._write_local(without(state, shared), _entries(state))
            return sorted({s.secret_id for s in shared})
