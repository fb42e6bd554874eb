"""The storage interface: a repository hands out units of work over customers, tenants,
profiles and their history.

Use cases write inside one unit of work, which commits all of its writes together or none::

    with repository.unit_of_work() as uow:
        customer = uow.customers.by_name("Contoso")
        ...
        uow.customers.rename(customer.id, "Contoso Ltd")

A unit of work takes the write lock when it starts (SQLite's ``BEGIN IMMEDIATE``; a
PostgreSQL backend locks what it reads), so a read-then-write cannot race another writer.
:meth:`Repository.reading` gives the same readers without a write transaction, for lists and
details. Every write records a :class:`~desktop.core.changes.Change`; the backend writes them
to its change log in the same transaction and publishes them to :attr:`Repository.feed` after
the commit. Failures of the backend come out as :class:`~desktop.core.errors.UserError`.

What each write announces (entity, kind, ids, fields), so every backend says the same:

- customers: ``insert`` (customer, added); ``rename`` / ``set_notes`` / ``set_services`` /
  ``add_services`` (customer, updated, fields ``name`` / ``notes`` / ``aos_services``);
  ``delete`` (customer, removed) plus (tenant, removed) and (profile, removed) for what went
  with it;
- tenants: ``insert`` (tenant, added); ``delete`` (tenant, removed) plus (profile, removed);
- profiles: ``insert`` / ``insert_many`` (profile, added); ``update_status`` (profile,
  updated, ``status reason remedy last_checked``); ``set_consented_at`` (``consented_at``);
  ``mark`` (``status reason remedy reauthorization_required``); ``save_consent``
  (``status reason remedy consent``); ``delete_many`` (profile, removed);
- history: ``record`` / ``record_many`` (history, added, the profile ids).

Changes of one unit of work are merged by (entity, kind, fields)
(:func:`~desktop.core.changes.coalesce`).

Times are timezone-aware ``datetime`` s, except in :class:`ProfileRow` (ISO 8601 UTC text,
``2026-01-02T03:04:05Z``, the way the list shows and sorts them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from desktop.core.changes import ChangeEntry, ChangeFeed
from desktop.core.domain import AppProfile, Customer, ProfileEvent, Status, Tenant
from desktop.core.storage.types import ProfileRef, ProfileRow


class CustomerRepository(Protocol):
    """Customers and the AOS services added for each. Names compare case-insensitively."""

    def insert(self, customer: Customer) -> int:
        """Add *customer* (with its AOS services); returns its new id."""
        ...

    def by_name(self, name: str) -> Customer | None: ...

    def by_id(self, customer_id: int) -> Customer | None: ...

    def any(self) -> bool:
        """Whether there is at least one customer."""
        ...

    def all(self) -> list[Customer]:
        """Every customer by name (case-insensitive), with its AOS services."""
        ...

    def counts(self) -> dict[int, tuple[int, int]]:
        """Per customer id: (tenants, profiles). Customers with neither may be missing."""
        ...

    def versions(self, ids: Sequence[int] | None = None) -> dict[int, int]:
        """The version now of each customer of *ids* (every customer when None), in one query
        however many ids; customers that are gone are missing."""
        ...

    def rename(self, customer_id: int, name: str, *, expected_version: int | None = None) -> None:
        """Rename; with *expected_version* (the version read), refused with
        :class:`~desktop.core.errors.StaleEditError` ("changed by Bob at 14:02") when someone
        changed the customer since."""
        ...

    def set_notes(
        self, customer_id: int, notes: str, *, expected_version: int | None = None
    ) -> None:
        """Set the notes; *expected_version* as for :meth:`rename`."""
        ...

    def set_services(self, customer_id: int, service_ids: Iterable[str]) -> None:
        """Replace the customer's AOS services."""
        ...

    def add_services(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Add (customer id, service id) pairs, keeping the services each already has."""
        ...

    def delete(self, customer_id: int) -> None:
        """Remove the customer with its tenants and profiles (their history is kept)."""
        ...


class TenantRepository(Protocol):
    """A customer's Microsoft Entra tenants, keyed by tenant ID."""

    def insert(self, tenant: Tenant) -> None: ...

    def by_id(self, tenant_id: str) -> Tenant | None: ...

    def by_domain(self, domain: str) -> Tenant | None:
        """The tenant whose primary domain is *domain* (case-insensitive)."""
        ...

    def of_customer(self, customer_id: int | None = None) -> list[Tenant]:
        """The customer's tenants (every tenant when None), by primary domain."""
        ...

    def delete(self, tenant_id: str) -> None:
        """Remove the tenant and its profiles (their history is kept)."""
        ...


class ProfileRepository(Protocol):
    """App profiles, and the rows of the profile list."""

    def insert(self, profile: AppProfile) -> int:
        """Add *profile* (its ``id`` is ignored); returns the new id."""
        ...

    def insert_many(self, profiles: Iterable[AppProfile]) -> None:
        """Add profiles keeping their ``id`` s (bulk loads); see :meth:`max_id`."""
        ...

    def max_id(self) -> int:
        """The highest profile id in use (0 when none)."""
        ...

    def get(self, profile_id: int) -> AppProfile | None: ...

    def get_many(self, ids: Sequence[int]) -> list[AppProfile]:
        """The profiles *ids* that exist, in that order, in one query (per few hundred ids)."""
        ...

    def get_all(self) -> list[AppProfile]:
        """Every profile, by id, in one query."""
        ...

    def name_of(self, profile_id: int) -> str | None:
        """The profile's name, or None when there is no such profile."""
        ...

    def rows(
        self,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int | None = None,
    ) -> list[ProfileRow]:
        """List rows by profile name (case-insensitive), then id; optionally filtered, and
        with *limit* only the first rows."""
        ...

    def all_rows(
        self, between_chunks: Callable[[], None] | None = None, chunk: int = 20_000
    ) -> list[ProfileRow]:
        """Every list row by name then id, from one consistent read, calling
        *between_chunks* (cancellation) every *chunk* rows."""
        ...

    def rows_by_id(self, ids: Sequence[int]) -> list[ProfileRow]:
        """The list rows of *ids* that exist (any order)."""
        ...

    def refs_of_customer(self, customer_id: int) -> list[ProfileRef]:
        """The customer's profiles, by name, as much as deleting them needs."""
        ...

    def refs_of_tenant(self, tenant_id: str) -> list[ProfileRef]: ...

    def certificate_refs(self) -> set[str]:
        """Every non-empty vault reference a profile holds."""
        ...

    def status_counts(self) -> dict[str, int]: ...

    def count(self) -> int: ...

    def update_status(
        self,
        profile_id: int,
        status: Status,
        reason: str,
        remedy: str,
        last_checked: datetime | None,
    ) -> None:
        """Store a check's verdict."""
        ...

    def set_consented_at(self, profile_id: int, when: datetime) -> None: ...

    def mark(self, profile_id: int, status: Status, reason: str, remedy: str) -> None:
        """Set the status and flag the profile as needing re-authorization."""
        ...

    def save_consent(self, profile: AppProfile) -> None:
        """Store a new consent of *profile* (re-authorized): status, reason, remedy, consent
        method, consenting user, consent time, functions, custom app, certificate, baseline;
        clears the re-authorization flag."""
        ...

    def delete_many(self, ids: Sequence[int]) -> None: ...


class HistoryRepository(Protocol):
    """Each profile's history; it outlives the profile (a deletion is recorded in it)."""

    def record(self, event: ProfileEvent, profile_name: str = "") -> None: ...

    def record_many(self, events: Iterable[tuple[ProfileEvent, str]]) -> None:
        """Record *(event, profile name)* pairs."""
        ...

    def of_profile(self, profile_id: int) -> list[ProfileEvent]:
        """The profile's events, oldest first."""
        ...


class UnitOfWork(Protocol):
    """The readers and writers of one transaction (or, from :meth:`Repository.reading`, of
    one read, where the writers raise)."""

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def tenants(self) -> TenantRepository: ...

    @property
    def profiles(self) -> ProfileRepository: ...

    @property
    def history(self) -> HistoryRepository: ...


class Repository(Protocol):
    """One inventory's storage (a SQLite file, a PostgreSQL database).

    Safe to share between threads: each unit of work uses its own connection.
    """

    #: Committed changes, announced after each commit (and by a watcher, other processes').
    feed: ChangeFeed

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        ...

    def reading(self) -> AbstractContextManager[UnitOfWork]:
        """Reads without a write transaction (writing through it raises ``RuntimeError``)."""
        ...

    def latest_seq(self) -> int:
        """The seq of the newest committed change (0 when none)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        """Committed changes after *seq*, oldest first (see :class:`~desktop.core.changes.
        ChangeLog`)."""
        ...

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        """Return when changes after *seq* may exist, or after *timeout* seconds."""
        ...
