"""The offline copy: the last synced team inventory, for reading while the server is away.

After each sync the customers, tenants and list rows the technician may see are written to one
file in the data folder, encrypted (Fernet: AES-128-CBC with HMAC-SHA256) with a key kept in
the OS keyring, never next to the file. A copy older than the period the team's admin set
(:func:`~desktop.core.store.postgres.offline_days.offline_days`, 7 days by default) is refused
and removed; so is one that does not decrypt (another key, a damaged file). The copy is for
reading only: writes need the server.

A copy remembers the change log's seq it is current to, so the next sync reads only what
changed since (:func:`refresh`): the rows of changed profiles, instead of the whole inventory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import APP_ID
from desktop.core.errors import UserError
from desktop.core.storage.types import ProfileRow

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from desktop.core.storage.interface import Repository, UnitOfWork

#: The file in the data folder.
FILE_NAME = "team-offline.bin"
FORMAT = 1


@dataclass(frozen=True)
class OfflineCopy:
    """What was synced, when, and for how long it may be used."""

    database: str
    synced_at: datetime
    valid_days: int
    customers: list[dict[str, Any]] = field(default_factory=list)
    tenants: list[dict[str, Any]] = field(default_factory=list)
    rows: list[ProfileRow] = field(default_factory=list)
    #: The change log's seq this copy is current to (0: unknown, the next sync reads all).
    seq: int = 0

    @property
    def expires_at(self) -> datetime:
        return self.synced_at + timedelta(days=self.valid_days)

    def age_words(self, now: datetime | None = None) -> str:
        """'synced 3 h ago' and the like."""
        seconds = max(0, int(((now or datetime.now(UTC)) - self.synced_at).total_seconds()))
        if seconds < 120:
            return "synced just now"
        if seconds < 2 * 3600:
            return f"synced {seconds // 60} min ago"
        if seconds < 2 * 86400:
            return f"synced {seconds // 3600} h ago"
        return f"synced {seconds // 86400} days ago"

    def warning(self, now: datetime | None = None) -> str:
        """The one line a read from the copy starts with."""
        local = self.synced_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            f"The team database {self.database} cannot be reached; showing the offline copy "
            f"({self.age_words(now)}, at {local}). Changes are refused until it is back."
        )


def refused_offline(database: str) -> UserError:
    """The refusal of a write while only the offline copy is there."""
    return UserError(
        f"The team database {database} cannot be reached, so this change was refused; the "
        "offline copy is for reading only.",
        remedy="Try again when the server is reachable. Nothing was changed.",
    )


def snapshot(store: Repository, database: str, valid_days: int) -> OfflineCopy:
    """Read what the member may see, in one consistent read."""
    # Read before the rows: a change committed in between is applied again next time
    # (harmless), never skipped.
    seq = store.latest_seq()
    with store.reading() as uow:
        customers, tenants = _lists(uow)
        rows = uow.profiles.all_rows()
    return OfflineCopy(database, datetime.now(UTC), valid_days, customers, tenants, rows, seq)


#: More changed profiles than this since the last sync read the whole inventory again.
MAX_CHANGED = 5_000


def refresh(
    store: Repository, previous: OfflineCopy | None, database: str, valid_days: int
) -> OfflineCopy:
    """*previous* brought up to date from the change log (only what changed is read), or a
    whole new :func:`snapshot` when there is no usable previous copy, or when the log cannot
    say what changed (trimmed, renamed customers or tenants, too much at once)."""
    from desktop.core.changes import ChangeKind, EntityKind
    from desktop.core.team.listener import catch_up

    if previous is None or not previous.seq or previous.database != database:
        return snapshot(store, database, valid_days)
    entries = catch_up(store.changes_since, previous.seq)
    changed: dict[int, None] = {}
    removed: set[int] = set()
    lists = False
    for entry in entries:
        entity, kind = entry.entity, entry.kind
        if entity in (EntityKind.CUSTOMER, EntityKind.TENANT):
            # A new one, or a customer's notes, change only the lists; a rename or a removal
            # changes profiles' rows too (names, cascades): read everything again.
            if kind is ChangeKind.ADDED or entry.change.fields == ("notes",):
                lists = True
                continue
            return snapshot(store, database, valid_days)
        if entity is EntityKind.EVERYTHING:
            return snapshot(store, database, valid_days)
        if entity is EntityKind.PROFILE:
            ids = [int(i) for i in entry.ids]
            if kind is ChangeKind.REMOVED:
                removed.update(ids)
                for i in ids:
                    changed.pop(i, None)
            else:
                removed.difference_update(ids)
                changed.update(dict.fromkeys(ids))
    if len(changed) + len(removed) > MAX_CHANGED:
        return snapshot(store, database, valid_days)
    seq = max((e.seq for e in entries), default=previous.seq)
    customers, tenants = previous.customers, previous.tenants
    fresh: list[ProfileRow] = []
    if lists or changed:
        with store.reading() as uow:
            if lists:
                customers, tenants = _lists(uow)
            fresh = uow.profiles.rows_by_id(list(changed)) if changed else []
    # A changed profile the member can no longer read (deleted since, out of scope) goes.
    gone = removed | (set(changed) - {r.id for r in fresh})
    by_id = {r.id: r for r in previous.rows if r.id not in gone}
    by_id.update((r.id, r) for r in fresh)
    rows = previous.rows if not (gone or fresh) else _by_name(by_id.values())
    return OfflineCopy(database, datetime.now(UTC), valid_days, customers, tenants, rows, seq)


def _by_name(rows: Iterable[ProfileRow]) -> list[ProfileRow]:
    """In the list's order (as the store reads it: by name, then id)."""
    return sorted(rows, key=lambda r: (r.name.lower(), r.id))


def _lists(uow: UnitOfWork) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The customers and tenants the member may see, as the copy keeps them."""
    customers = [
        {
            "id": c.id,
            "name": c.name,
            "notes": c.notes,
            "aos_services": list(c.aos_service_ids),
            "version": c.version,
        }
        for c in uow.customers.all()
    ]
    tenants = [
        {
            "tenant_id": t.tenant_id,
            "customer_id": t.customer_id,
            "primary_domain": t.primary_domain,
            "display_name": t.display_name,
            "cloud": t.cloud.value,
        }
        for t in uow.tenants.of_customer(None)
    ]
    return customers, tenants


class OfflineStore:
    """The encrypted copy of one team database in one data folder."""

    def __init__(self, folder: Path, account: str, backend: KeyringBackend | None = None):
        self.path = folder / FILE_NAME
        #: The keyring entry of the key: one per team database and login.
        self._account = f"team-offline:{account}"
        self._backend = backend

    def save(self, copy: OfflineCopy) -> None:
        """Encrypt and write *copy* (atomically: a crash leaves the previous copy)."""
        if copy.valid_days <= 0:  # the admin wants no offline copies
            self.remove()
            return
        data = json.dumps(
            {
                "format": FORMAT,
                "database": copy.database,
                "synced_at": copy.synced_at.isoformat(),
                "valid_days": copy.valid_days,
                "customers": copy.customers,
                "tenants": copy.tenants,
                "rows": [list(r) for r in copy.rows],
                "seq": copy.seq,
            }
        ).encode()
        token = self._fernet(create=True).encrypt(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".part")
        with open(partial, "wb") as out:
            out.write(token)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, self.path)

    def load(self, now: datetime | None = None) -> OfflineCopy:
        """The copy, if there is a usable one; else ``UserError`` saying why."""
        from cryptography.fernet import InvalidToken

        if not self.path.exists():
            raise UserError(
                "The team database cannot be reached, and this computer has no offline copy "
                "of it yet.",
                remedy="Connect once while the server is reachable; the copy is made then.",
            )
        try:
            data = json.loads(self._fernet(create=False).decrypt(self.path.read_bytes()))
        except (InvalidToken, ValueError, OSError):
            self.remove()
            raise UserError(
                "The offline copy of the team inventory could not be read (another key, or a "
                "damaged file); it was removed.",
                remedy="Connect while the server is reachable to make a new one.",
            ) from None
        copy = OfflineCopy(
            database=str(data["database"]),
            synced_at=datetime.fromisoformat(data["synced_at"]),
            valid_days=int(data["valid_days"]),
            customers=list(data["customers"]),
            tenants=list(data["tenants"]),
            rows=[_row(r) for r in data["rows"]],
            seq=int(data.get("seq") or 0),
        )
        if (now or datetime.now(UTC)) >= copy.expires_at:
            self.remove()
            raise UserError(
                f"The offline copy of the team inventory expired ({copy.age_words(now)}; your "
                f"team allows {copy.valid_days} days) and was removed.",
                remedy="Connect to the team database to get a fresh copy.",
            )
        return copy

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def _fernet(self, *, create: bool) -> Any:
        from cryptography.fernet import Fernet

        from desktop.core.vault_errors import unavailable

        keyring = self._keyring()
        try:
            key = keyring.get_password(APP_ID, self._account)
            if key is None:
                if not create:
                    raise ValueError("no key")
                key = Fernet.generate_key().decode()
                keyring.set_password(APP_ID, self._account, key)
        except ValueError:
            raise
        except Exception as exc:  # a locked keyring, a refused access
            raise unavailable("keep the offline copy's key", exc) from exc
        return Fernet(key.encode())

    def _keyring(self) -> KeyringBackend:
        from desktop.core.keyring_policy import RefusedBackendError, refusal_reason, unchained
        from desktop.core.vault_errors import unavailable

        action = "keep the offline copy's key"
        backend = self._backend
        if backend is None:
            try:
                import keyring

                backend = unchained(keyring.get_keyring())
            except Exception as exc:  # a broken keyring configuration
                raise unavailable(action, exc) from exc
        refusal = refusal_reason(backend)
        if refusal is not None:
            raise unavailable(action, RefusedBackendError(refusal))
        return backend


def _row(values: list[Any]) -> ProfileRow:
    values = list(values)
    values[5] = tuple(values[5])  # services
    return ProfileRow(*values)
