"""The offline copy as a read-only store, so ordinary read commands work while the server is away.

:class:`OfflineRepository` answers the reads the lists need (customers, tenants, the profile
list's rows, counts) from an :class:`~desktop.core.team.offline.OfflineCopy`. Every write is
refused in words (:func:`~desktop.core.team.offline.refused_offline`): a write transaction is
refused when it opens, before anything is read or changed. Reads the copy cannot answer (a
profile's full details, its history) say so in one line instead of answering wrongly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, cast

from desktop.core.changes import ChangeFeed
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.team.offline import OfflineCopy, refused_offline

if TYPE_CHECKING:
    from desktop.core.storage.interface import Repository, UnitOfWork
    from desktop.core.storage.types import ProfileRow


def _not_in_copy(what: str) -> UserError:
    return UserError(
        f"The team database cannot be reached, and the offline copy has no {what}.",
        remedy="Try again when the server is reachable; the copy holds the lists only.",
    )


class _Part:
    """Writers raise the offline refusal; readers not listed here say they are missing."""

    #: Methods that change the inventory (refused offline).
    WRITES: frozenset[str] = frozenset()
    #: What an unanswerable read is called in its message.
    WHAT = "such details"

    def __init__(self, copy: OfflineCopy) -> None:
        self._copy = copy

    def __getattr__(self, name: str) -> Callable[..., NoReturn]:
        if name.startswith("_"):
            raise AttributeError(name)

        def refuse(*_args: object, **_kwargs: object) -> NoReturn:
            if name in self.WRITES:
                raise refused_offline(self._copy.database)
            raise _not_in_copy(self.WHAT)

        return refuse


class _Customers(_Part):
    WRITES = frozenset({"insert", "rename", "set_notes", "set_services", "add_services", "delete"})

    def all(self) -> list[Customer]:
        found = [
            Customer(
                id=int(c["id"]),
                name=str(c["name"]),
                notes=str(c["notes"]),
                aos_service_ids=tuple(c["aos_services"]),
                version=int(c.get("version", 0)),
            )
            for c in self._copy.customers
        ]
        return sorted(found, key=lambda c: (c.name.lower(), c.id or 0))

    def any(self) -> bool:
        return bool(self._copy.customers)

    def by_id(self, customer_id: int) -> Customer | None:
        return next((c for c in self.all() if c.id == customer_id), None)

    def by_name(self, name: str) -> Customer | None:
        return next((c for c in self.all() if c.name.lower() == name.lower()), None)

    def versions(self, ids: Sequence[int] | None = None) -> dict[int, int]:
        wanted = None if ids is None else set(ids)
        return {
            int(c["id"]): int(c.get("version", 0))
            for c in self._copy.customers
            if wanted is None or int(c["id"]) in wanted
        }

    def counts(self) -> dict[int, tuple[int, int]]:
        names = {c["name"]: int(c["id"]) for c in self._copy.customers}
        result: dict[int, tuple[int, int]] = {}
        for t in self._copy.tenants:
            cid = int(t["customer_id"])
            result[cid] = (result.get(cid, (0, 0))[0] + 1, 0)
        for row in self._copy.rows:
            cid = names.get(row.customer, -1)
            tenants, profiles = result.get(cid, (0, 0))
            result[cid] = (tenants, profiles + 1)
        return result


class _Tenants(_Part):
    WRITES = frozenset({"insert", "delete"})

    def _all(self) -> list[Tenant]:
        found = [
            Tenant(
                tenant_id=str(t["tenant_id"]),
                customer_id=int(t["customer_id"]),
                primary_domain=str(t["primary_domain"]),
                display_name=str(t["display_name"]),
                cloud=Cloud(t["cloud"]),
            )
            for t in self._copy.tenants
        ]
        return sorted(found, key=lambda t: (t.primary_domain.lower(), t.tenant_id))

    def of_customer(self, customer_id: int | None = None) -> list[Tenant]:
        return [t for t in self._all() if customer_id is None or t.customer_id == customer_id]

    def by_id(self, tenant_id: str) -> Tenant | None:
        return next((t for t in self._all() if t.tenant_id == tenant_id.lower()), None)

    def by_domain(self, domain: str) -> Tenant | None:
        return next((t for t in self._all() if t.primary_domain.lower() == domain.lower()), None)


class _Profiles(_Part):
    WRITES = frozenset(
        {
            "insert",
            "insert_many",
            "update_status",
            "set_consented_at",
            "mark",
            "save_consent",
            "delete_many",
            "rename",
        }
    )
    WHAT = "profile details (only the list's rows)"

    def rows(
        self,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        customer = None
        if customer_id is not None:
            found = _Customers(self._copy).by_id(customer_id)
            customer = found.name if found else None
        rows = [
            r
            for r in self._copy.rows
            if (status is None or r.status == status)
            and (customer_id is None or r.customer == customer)
        ]
        return rows if limit is None else rows[:limit]

    def all_rows(
        self, between_chunks: Callable[[], None] | None = None, chunk: int = 20_000
    ) -> list[ProfileRow]:
        return list(self._copy.rows)

    def rows_by_id(self, ids: Sequence[int]) -> list[ProfileRow]:
        wanted = set(ids)
        return [r for r in self._copy.rows if r.id in wanted]

    def name_of(self, profile_id: int) -> str | None:
        return next((r.name for r in self._copy.rows if r.id == profile_id), None)

    def count(self) -> int:
        return len(self._copy.rows)

    def max_id(self) -> int:
        return max((r.id for r in self._copy.rows), default=0)

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._copy.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts


class _History(_Part):
    WRITES = frozenset({"record", "record_many"})
    WHAT = "profile history"


class _UnitOfWork:
    def __init__(self, copy: OfflineCopy) -> None:
        self.customers = _Customers(copy)
        self.tenants = _Tenants(copy)
        self.profiles = _Profiles(copy)
        self.history = _History(copy)


class OfflineRepository:
    """A read-only :class:`~desktop.core.storage.interface.Repository` over an offline copy."""

    def __init__(self, copy: OfflineCopy) -> None:
        self.copy = copy
        self.feed = ChangeFeed()

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        yield cast("UnitOfWork", _UnitOfWork(self.copy))

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        raise refused_offline(self.copy.database)
        yield  # pragma: no cover - a generator, for contextmanager

    def latest_seq(self) -> int:
        return 0

    def changes_since(self, seq: int, limit: int = 1000) -> list[Any]:
        return []

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        raise _not_in_copy("live changes")

    def close(self) -> None:
        """Nothing to release."""

    def as_repository(self) -> Repository:
        """This object typed as the storage interface it stands in for."""
        return cast("Repository", self)
