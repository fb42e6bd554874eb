"""The offline copy: the last synced team inventory, for reading while the server is away.

After each sync the customers, tenants and list rows the technician may see are written to one
file in the data folder, encrypted (Fernet: AES-128-CBC with HMAC-SHA256) with a key kept in
the OS keyring, never next to the file. A copy older than the period the team's admin set
(:func:`~desktop.core.store.postgres.offline_days.offline_days`, 7 days by default) is refused
and removed; so is one that does not decrypt (another key, a damaged file). The copy is for
reading only: writes need the server.

A copy remembers the change log's seq it is current to, so the next sync reads only what
changed since (:func:`refresh`): the rows of changed profiles, instead of the whole inventory;
a sync that finds nothing newer rewrites only the copy's small stamp (:func:`keep_current`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
#: Beside it, as small and as encrypted: which seq the copy holds and when it was last found
#: current, so that a sync with nothing new rewrites only this (not the whole copy).
STAMP_NAME = "team-offline.stamp"
#: And what changed since the copy was written whole (a :class:`Delta`), applied on reading.
DELTA_NAME = "team-offline.delta"
FORMAT = 1


@dataclass(frozen=True)
class Stamp:
    """What the stamp says of the copy beside it."""

    database: str
    seq: int
    valid_days: int
    #: When the server last had nothing newer than the copy (and its delta).
    synced_at: datetime
    #: The seq of the copy itself; *seq* is its delta's when that is newer.
    base_seq: int = 0


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
#: A delta beside the copy with more rows than this is folded into the copy itself.
MAX_DELTA = 2_000


@dataclass
class Delta:
    """Changes on top of a copy at seq *base_seq*, up to seq *seq*: the latest rows of changed
    or added profiles, the ids of removed ones, and the lists when they changed."""

    base_seq: int
    seq: int
    rows: dict[int, ProfileRow] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    customers: list[dict[str, Any]] | None = None
    tenants: list[dict[str, Any]] | None = None

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.removed)

    def then(self, newer: Delta) -> Delta:
        """This delta followed by *newer* (read later: its rows win)."""
        rows = {i: r for i, r in self.rows.items() if i not in newer.removed}
        rows.update(newer.rows)
        return Delta(
            self.base_seq,
            max(self.seq, newer.seq),
            rows,
            (self.removed - set(newer.rows)) | newer.removed,
            self.customers if newer.customers is None else newer.customers,
            self.tenants if newer.tenants is None else newer.tenants,
        )


def changes_since(store: Repository, seq: int) -> Delta | None:
    """What changed after *seq*, from the change log: only the changed profiles' rows are
    read. None when the log cannot say precisely (trimmed, a customer or tenant renamed or
    removed, which changes other rows too, or too much at once): read everything then."""
    from desktop.core.changes import ChangeKind, EntityKind
    from desktop.core.team.listener import catch_up

    entries = catch_up(store.changes_since, seq)
    changed: dict[int, None] = {}
    removed: set[int] = set()
    lists = False
    for entry in entries:
        entity, kind = entry.entity, entry.kind
        if entity in (EntityKind.CUSTOMER, EntityKind.TENANT):
            # A new one, or a customer's notes, change only the lists; a rename or a removal
            # changes profiles' rows too (names, cascades).
            if kind is ChangeKind.ADDED or entry.change.fields == ("notes",):
                lists = True
                continue
            return None
        if entity is EntityKind.EVERYTHING:
            return None
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
        return None
    delta = Delta(seq, max((e.seq for e in entries), default=seq), removed=removed)
    if lists or changed:
        with store.reading() as uow:
            if lists:
                delta.customers, delta.tenants = _lists(uow)
            if changed:
                delta.rows = {r.id: r for r in uow.profiles.rows_by_id(list(changed))}
    # A changed profile the member can no longer read (deleted since, out of scope) goes.
    delta.removed |= set(changed) - set(delta.rows)
    return delta


def applied(copy: OfflineCopy, delta: Delta) -> OfflineCopy:
    """*copy* with *delta* applied (its seq becomes the delta's)."""
    return replace(
        copy,
        customers=copy.customers if delta.customers is None else delta.customers,
        tenants=copy.tenants if delta.tenants is None else delta.tenants,
        rows=_applied(copy.rows, list(delta.rows.values()), delta.removed),
        seq=delta.seq,
    )


def refresh(
    store: Repository, previous: OfflineCopy | None, database: str, valid_days: int
) -> OfflineCopy:
    """*previous* brought up to date from the change log (only what changed is read), or a
    whole new :func:`snapshot` when there is no usable previous copy, or when the log cannot
    say what changed (see :func:`changes_since`)."""
    if previous is None or not previous.seq or previous.database != database:
        return snapshot(store, database, valid_days)
    delta = changes_since(store, previous.seq)
    if delta is None:
        return snapshot(store, database, valid_days)
    return replace(applied(previous, delta), synced_at=datetime.now(UTC), valid_days=valid_days)


def keep_current(
    store: Repository, copies: OfflineStore, database: str, valid_days: int
) -> OfflineCopy | None:
    """Bring the copy in *copies* up to date with *store* after a successful sync (a CLI
    command, the window's periodic write); the whole copy when it was written, None when only
    a small file beside it was.

    The copy itself is not read: when the change log has nothing newer than the copy's stamp,
    the stamp is renewed; otherwise the changed profiles' rows are added to the delta beside
    the copy, which is folded into it once it holds more than :data:`MAX_DELTA` rows. The
    whole inventory is read only for a first copy, or when the log cannot say what changed."""
    now = datetime.now(UTC)
    latest = store.latest_seq()
    stamp = copies.stamp()
    wanted = (database, valid_days)
    if stamp is None or not stamp.seq or (stamp.database, stamp.valid_days) != wanted:
        return _whole(store, copies, database, valid_days)
    if stamp.seq == latest:
        copies.touch(stamp, now)  # nothing new: the copy stays, its age starts again
        return None
    delta = changes_since(store, stamp.seq)
    if delta is None:
        return _whole(store, copies, database, valid_days)
    if stamp.base_seq != stamp.seq:  # changes were already added beside the copy
        older = copies.delta()
        if older is None or older.base_seq != stamp.base_seq:
            return _whole(store, copies, database, valid_days)  # lost: start again
        delta = older.then(delta)
    if delta.size > MAX_DELTA:
        try:
            base = copies.load()
        except UserError:
            return _whole(store, copies, database, valid_days)
        copy = replace(applied(base, delta), synced_at=now)
        copies.save(copy)
        return copy
    copies.save_delta(delta, replace(stamp, seq=delta.seq, synced_at=now))
    return None


def _whole(store: Repository, copies: OfflineStore, database: str, days: int) -> OfflineCopy:
    copy = snapshot(store, database, days)
    copies.save(copy)
    return copy


def _applied(rows: list[ProfileRow], fresh: list[ProfileRow], gone: set[int]) -> list[ProfileRow]:
    """*rows* with *fresh* ones in place of their old versions (or added) and *gone* ones
    removed, still in the list's order."""
    if not (fresh or gone):
        return rows
    where = {r.id: i for i, r in enumerate(rows)}
    if not gone and all(
        r.id in where and rows[where[r.id]].name.lower() == r.name.lower() for r in fresh
    ):
        updated = list(rows)  # the usual change (a check, a mark): same places
        for row in fresh:
            updated[where[row.id]] = row
        return updated
    by_id = {r.id: r for r in rows if r.id not in gone}
    by_id.update((r.id, r) for r in fresh)
    return _by_name(by_id.values())


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
        self.stamp_path = folder / STAMP_NAME
        self.delta_path = folder / DELTA_NAME
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
        fernet = self._fernet(create=True)
        self.stamp_path.unlink(missing_ok=True)  # a stamp only ever vouches for its copy
        self.delta_path.unlink(missing_ok=True)  # folded into this copy
        _write(self.path, fernet.encrypt(data))
        stamp = Stamp(copy.database, copy.seq, copy.valid_days, copy.synced_at, copy.seq)
        self._write_stamp(fernet, stamp)

    def save_delta(self, delta: Delta, stamp: Stamp) -> None:
        """Write what changed since the copy was written whole (the copy is not rewritten),
        then the *stamp* that vouches for both."""
        fernet = self._fernet(create=False)
        data = {
            "base_seq": delta.base_seq,
            "seq": delta.seq,
            "rows": [list(r) for r in delta.rows.values()],
            "removed": sorted(delta.removed),
            "customers": delta.customers,
            "tenants": delta.tenants,
        }
        _write(self.delta_path, fernet.encrypt(json.dumps(data).encode()))
        self._write_stamp(fernet, replace(stamp, seq=delta.seq, base_seq=delta.base_seq))

    def delta(self) -> Delta | None:
        """The delta beside the copy; None when there is none or it does not decrypt."""
        from cryptography.fernet import InvalidToken

        if not self.delta_path.exists():
            return None
        try:
            data = json.loads(self._fernet(create=False).decrypt(self.delta_path.read_bytes()))
            rows = [_row(r) for r in data["rows"]]
            return Delta(
                int(data["base_seq"]),
                int(data["seq"]),
                {r.id: r for r in rows},
                {int(i) for i in data["removed"]},
                data["customers"],
                data["tenants"],
            )
        except (InvalidToken, ValueError, KeyError, TypeError, IndexError, OSError):
            return None

    def stamp(self) -> Stamp | None:
        """The stamp (cheap: the copy itself is not decrypted); None when there is none or it
        does not decrypt."""
        from cryptography.fernet import InvalidToken

        if not (self.path.exists() and self.stamp_path.exists()):
            return None
        try:
            data = json.loads(self._fernet(create=False).decrypt(self.stamp_path.read_bytes()))
            return Stamp(
                str(data["database"]),
                int(data["seq"]),
                int(data["valid_days"]),
                datetime.fromisoformat(data["synced_at"]),
                int(data.get("base_seq", data["seq"])),
            )
        except (InvalidToken, ValueError, KeyError, TypeError, OSError):
            return None

    def touch(self, stamp: Stamp, synced_at: datetime) -> None:
        """The server has nothing newer than the copy: say it was current at *synced_at*
        (the copy's age and expiry count from then), rewriting only the stamp."""
        self._write_stamp(self._fernet(create=False), replace(stamp, synced_at=synced_at))

    def _write_stamp(self, fernet: Any, stamp: Stamp) -> None:
        data = {
            "database": stamp.database,
            "seq": stamp.seq,
            "valid_days": stamp.valid_days,
            "synced_at": stamp.synced_at.isoformat(),
            "base_seq": stamp.base_seq,
        }
        _write(self.stamp_path, fernet.encrypt(json.dumps(data).encode()))

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
        delta = self.delta()
        if delta is not None and delta.base_seq == copy.seq:
            copy = applied(copy, delta)  # what changed since it was written whole
        stamp = self.stamp()
        if (
            stamp is not None
            and (stamp.database, stamp.seq) == (copy.database, copy.seq)
            and stamp.synced_at > copy.synced_at
        ):
            copy = replace(copy, synced_at=stamp.synced_at)  # found current since
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
        self.stamp_path.unlink(missing_ok=True)
        self.delta_path.unlink(missing_ok=True)

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


def _write(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically (a crash leaves the previous file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with open(partial, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def _row(values: list[Any]) -> ProfileRow:
    values = list(values)
    values[5] = tuple(values[5])  # services
    return ProfileRow(*values)
