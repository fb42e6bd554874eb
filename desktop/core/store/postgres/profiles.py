"""Profiles on PostgreSQL, and the light-weight rows behind the profile list.

Like the SQLite store, service and function ids are comma-separated text, and list rows carry
times as ISO 8601 UTC text, formatted by the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from desktop.core import baseline
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.changes import ChangeKind, EntityKind
from desktop.core.domain import AppProfile, Status
from desktop.core.storage.types import ProfileRef, ProfileRow

if TYPE_CHECKING:
    from desktop.core.store.postgres.repository import PgUnitOfWork

_COLUMNS = (
    "name, customer_id, tenant_id, service_ids, app_type_id, mode, status, reason, remedy, "
    "consent_method, consenting_user, consented_at, last_checked, functions, custom_app_id, "
    "certificate_ref, reauthorization_required, created_at, baseline"
)
_INSERT = f"INSERT INTO profiles ({_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) RETURNING id"
_TYPES = [
    *("bigint", "text", "bigint", "text", "text", "text", "text", "text", "text", "text"),
    *("text", "text", "timestamptz", "timestamptz", "text", "text", "text", "boolean"),
    *("timestamptz", "text"),
]
_INSERT_MANY = (
    f"INSERT INTO profiles (id, {_COLUMNS}) SELECT * FROM unnest("
    + ", ".join(f"%s::{t}[]" for t in _TYPES)
    + ")"
)
#: Rows per bulk statement.
_BULK = 20_000
_CHECKED = ("status", "reason", "remedy", "last_checked")
_BY_NAME = 'lower(p.name) COLLATE "C", p.id'


def _text_time(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


_ROW_QUERY = f"""
    SELECT p.id, p.name, c.name, p.tenant_id, t.primary_domain, p.service_ids, p.app_type_id,
           p.mode, p.status, p.reason, {_text_time("p.last_checked")},
           {_text_time("p.consented_at")}, p.consenting_user, t.cloud
    FROM profiles p
    JOIN customers c ON c.id = p.customer_id
    JOIN tenants t ON t.tenant_id = p.tenant_id
"""


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


def _time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("the store keeps timezone-aware times only")
    return value.astimezone(UTC).replace(microsecond=0)


def _params(p: AppProfile) -> tuple[object, ...]:
    return (
        p.name,
        p.customer_id,
        p.tenant_id,
        ",".join(p.service_ids),
        p.app_type_id,
        p.mode.value,
        p.status.value,
        p.reason,
        p.remedy,
        p.consent_method.value,
        p.consenting_user,
        _time(p.consented_at),
        _time(p.last_checked),
        ",".join(p.functions),
        p.custom_app_id,
        p.certificate_ref,
        p.reauthorization_required,
        _time(p.created_at),
        baseline.to_text(p.baseline),
    )


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _profile(row: Sequence[Any]) -> AppProfile:
    return AppProfile(
        id=int(row[0]),
        name=row[1],
        customer_id=int(row[2]),
        tenant_id=row[3],
        service_ids=_split(row[4]),
        app_type_id=row[5],
        mode=SetupMode(row[6]),
        status=Status(row[7]),
        reason=row[8],
        remedy=row[9],
        consent_method=ConsentMethod(row[10]),
        consenting_user=row[11],
        consented_at=_utc(row[12]),
        last_checked=_utc(row[13]),
        functions=_split(row[14]),
        custom_app_id=row[15],
        certificate_ref=row[16],
        reauthorization_required=bool(row[17]),
        created_at=row[18].astimezone(UTC),
        baseline=baseline.from_text(row[19]),
    )


def _row(raw: Sequence[Any], shared: dict[Any, Any]) -> ProfileRow:
    """One list row; equal texts become one object (100,000 rows repeat a few thousand)."""
    keep = shared.setdefault
    services = shared.get(("services", raw[5]))
    if services is None:
        services = keep(("services", raw[5]), _split(raw[5]))
    return ProfileRow(
        int(raw[0]),
        keep(raw[1], raw[1]),
        keep(raw[2], raw[2]),
        keep(raw[3], raw[3]),
        keep(raw[4], raw[4]),
        services,
        keep(raw[6], raw[6]),
        keep(raw[7], raw[7]),
        keep(raw[8], raw[8]),
        keep(raw[9], raw[9]),
        keep(raw[10], raw[10]),
        keep(raw[11], raw[11]),
        keep(raw[12] or "", raw[12] or ""),
        keep(raw[13], raw[13]),
    )


class PgProfiles:
    """:class:`~desktop.core.storage.interface.ProfileRepository` on PostgreSQL."""

    def __init__(self, uow: PgUnitOfWork) -> None:
        self._uow = uow
        self._conn = uow.conn

    def insert(self, profile: AppProfile) -> int:
        self._uow.check_writable()
        row = self._conn.execute(_INSERT, _params(profile)).fetchone()
        assert row is not None
        profile_id = int(row[0])
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [profile_id])
        return profile_id

    def insert_many(self, profiles: Iterable[AppProfile]) -> None:
        self._uow.check_writable()
        batch = list(profiles)
        if not batch:
            return
        # One statement per chunk, not one per row: the audit trigger runs once per chunk.
        # (COPY would be faster, but PostgreSQL refuses it on tables with row-level security.)
        for start in range(0, len(batch), _BULK):
            rows = [(p.id, *_params(p)) for p in batch[start : start + _BULK]]
            self._conn.execute(_INSERT_MANY, [list(column) for column in zip(*rows, strict=True)])
        # Kept ids do not move the id sequence; a later insert must not collide with them.
        self._conn.execute(
            "SELECT setval(pg_get_serial_sequence('apm.profiles', 'id'), "
            "(SELECT GREATEST(max(id), 1) FROM profiles))"
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.ADDED, [p.id for p in batch if p.id])

    def max_id(self) -> int:
        row = self._conn.execute("SELECT COALESCE(max(id), 0) FROM profiles").fetchone()
        return int(row[0]) if row else 0

    def get(self, profile_id: int) -> AppProfile | None:
        row = self._conn.execute(
            f"SELECT id, {_COLUMNS} FROM profiles WHERE id = %s", (profile_id,)
        ).fetchone()
        return None if row is None else _profile(row)

    def get_many(self, ids: Sequence[int]) -> list[AppProfile]:
        rows = self._conn.execute(
            f"SELECT id, {_COLUMNS} FROM profiles WHERE id = ANY(%s)", (list(ids),)
        )
        found = {int(r[0]): _profile(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def get_all(self) -> list[AppProfile]:
        rows = self._conn.execute(f"SELECT id, {_COLUMNS} FROM profiles ORDER BY id")
        return [_profile(r) for r in rows]

    def name_of(self, profile_id: int) -> str | None:
        row = self._conn.execute(
            "SELECT name FROM profiles WHERE id = %s", (profile_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def rows(
        self,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        where: list[str] = []
        params: list[object] = []
        if status is not None:
            where.append("p.status = %s")
            params.append(status)
        if customer_id is not None:
            where.append("p.customer_id = %s")
            params.append(customer_id)
        query = _ROW_QUERY + (f" WHERE {' AND '.join(where)}" if where else "")
        query += f" ORDER BY {_BY_NAME}"
        if limit is not None:
            query += " LIMIT %s"
            params.append(limit)
        shared: dict[Any, Any] = {}
        return [_row(r, shared) for r in self._conn.execute(query, params)]

    def all_rows(
        self, between_chunks: Callable[[], None] | None = None, chunk: int = 20_000
    ) -> list[ProfileRow]:
        """Every row by name, from one server-side cursor (one snapshot) in chunks."""
        result: list[ProfileRow] = []
        shared: dict[Any, Any] = {}
        with self._conn.transaction(), self._conn.cursor(name="apm_all_rows") as cur:
            cur.itersize = chunk
            cur.execute(_ROW_QUERY + f" ORDER BY {_BY_NAME}")
            while batch := cur.fetchmany(chunk):
                if between_chunks is not None:
                    between_chunks()
                result.extend(_row(r, shared) for r in batch)
        return result

    def rows_by_id(self, ids: Sequence[int]) -> list[ProfileRow]:
        if not ids:
            return []
        shared: dict[Any, Any] = {}
        rows = self._conn.execute(_ROW_QUERY + " WHERE p.id = ANY(%s)", (list(ids),))
        return [_row(r, shared) for r in rows]

    def _refs(self, column: str, value: object) -> list[ProfileRef]:
        rows = self._conn.execute(
            "SELECT id, name, app_type_id, certificate_ref FROM profiles p "
            f"WHERE {column} = %s ORDER BY {_BY_NAME}",
            (value,),
        )
        return [ProfileRef(int(r[0]), r[1], r[2], r[3]) for r in rows]

    def refs_of_customer(self, customer_id: int) -> list[ProfileRef]:
        return self._refs("customer_id", customer_id)

    def refs_of_tenant(self, tenant_id: str) -> list[ProfileRef]:
        return self._refs("tenant_id", tenant_id)

    def certificate_refs(self) -> set[str]:
        rows = self._conn.execute(
            "SELECT certificate_ref FROM profiles WHERE certificate_ref <> ''"
        )
        return {str(r[0]) for r in rows}

    def status_counts(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT status, count(*) FROM profiles GROUP BY status")
        return {str(s): int(n) for s, n in rows}

    def count(self) -> int:
        row = self._conn.execute("SELECT count(*) FROM profiles").fetchone()
        return int(row[0]) if row else 0

    def update_status(
        self,
        profile_id: int,
        status: Status,
        reason: str,
        remedy: str,
        last_checked: datetime | None,
    ) -> None:
        self._uow.check_writable()
        self._conn.execute(
            "UPDATE profiles SET status = %s, reason = %s, remedy = %s, last_checked = %s "
            "WHERE id = %s",
            (status.value, reason, remedy, _time(last_checked), profile_id),
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], _CHECKED)

    def set_consented_at(self, profile_id: int, when: datetime) -> None:
        self._uow.check_writable()
        self._conn.execute(
            "UPDATE profiles SET consented_at = %s WHERE id = %s", (_time(when), profile_id)
        )
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], ("consented_at",))

    def mark(self, profile_id: int, status: Status, reason: str, remedy: str) -> None:
        self._uow.check_writable()
        self._conn.execute(
            "UPDATE profiles SET status = %s, reason = %s, remedy = %s, "
            "reauthorization_required = true WHERE id = %s",
            (status.value, reason, remedy, profile_id),
        )
        fields = ("status", "reason", "remedy", "reauthorization_required")
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile_id], fields)

    def save_consent(self, profile: AppProfile) -> None:
        self._uow.check_writable()
        assert profile.id is not None
        self._conn.execute(
            "UPDATE profiles SET status = %s, reason = %s, remedy = %s, consent_method = %s, "
            "consenting_user = %s, consented_at = %s, functions = %s, custom_app_id = %s, "
            "certificate_ref = %s, baseline = %s, reauthorization_required = false "
            "WHERE id = %s",
            (
                profile.status.value,
                profile.reason,
                profile.remedy,
                profile.consent_method.value,
                profile.consenting_user,
                _time(profile.consented_at),
                ",".join(profile.functions),
                profile.custom_app_id,
                profile.certificate_ref,
                baseline.to_text(profile.baseline),
                profile.id,
            ),
        )
        fields = ("status", "reason", "remedy", "consent")
        self._uow.note(EntityKind.PROFILE, ChangeKind.UPDATED, [profile.id], fields)

    def delete_many(self, ids: Sequence[int]) -> None:
        self._uow.check_writable()
        self._conn.execute("DELETE FROM profiles WHERE id = ANY(%s)", (list(ids),))
        self._uow.note(EntityKind.PROFILE, ChangeKind.REMOVED, ids)
