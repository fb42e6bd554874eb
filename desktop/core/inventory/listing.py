"""The profile list's data, prepared once off the GUI thread, then filtered and sorted fast.

At 100,000 profiles a keystroke in the search box must apply in well under 100 ms, so each row
gets its display texts and its lower-case search texts when the list is built (see
:class:`ProfileList`), and narrowing a search (typing one more letter) only re-filters the rows
already shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import Catalog
from desktop.core.domain import Status
from desktop.core.inventory.rules import delete_blocker
from desktop.core.storage.interface import Repository
from desktop.core.storage.types import ProfileRow

#: Columns of the list, in order. ``sort_key`` reads one of the prepared texts.
COLUMNS = (
    "Profile name",
    "Customer",
    "Tenant",
    "Service(s)",
    "App type",
    "Mode",
    "Status",
    "Reason",
    "Last checked",
    "Last consented",
    "Consenting user",
)

#: Status order for sorting and for the counts line: the ones needing action first.
STATUS_ORDER = (Status.INVALID, Status.EXPIRED, Status.UNKNOWN, Status.VALID)
_STATUS_RANK = {s.value: i for i, s in enumerate(STATUS_ORDER)}


class ListFilter(NamedTuple):  # not a dataclass: made at import, on the start path
    """What the filter bar asks for; empty strings (and no *statuses*) mean "any".

    *status* is one status; *statuses* any of several (e.g. Expired and Invalid).
    """

    text: str = ""
    status: str = ""
    customer: str = ""
    service: str = ""
    statuses: frozenset[str] = frozenset()

    def narrows(self, other: ListFilter) -> bool:
        """True when every row matching ``self`` also matches *other* (only the text grew)."""
        return (self.status, self.customer, self.service, self.statuses) == (
            other.status,
            other.customer,
            other.service,
            other.statuses,
        ) and other.text.casefold() in self.text.casefold()


class ProfileList:
    """All rows of the list with their display texts, built once off the GUI thread.

    The text search looks at three lower-case texts per row: the profile name, the tenant's
    (customer, domain, tenant ID, consenting user) and the rest (services, app type, mode,
    status, reason). The last two are shared by many rows, so a keystroke tests each distinct
    one once and then each row's name; this is faster than one joined text per row and holds
    far less memory.
    """

    def __init__(
        self,
        rows: Sequence[ProfileRow],
        catalog: Catalog,
        between_chunks: Callable[[], None] | None = None,
    ) -> None:
        """Prepare *rows*; *between_chunks* is called every few thousand rows (cancellation)."""
        self.rows = list(rows)
        self._service_names = {s.id: s.name for s in catalog.services}
        self._app_names = {a.id: a.name for a in catalog.app_types}
        self._services_text: dict[tuple[str, ...], str] = {}
        self.services_text: list[str] = []
        self.app_type_text: list[str] = []
        self._names: dict[str, str] = {}
        self._name_key: list[str] = []
        self._tenant_ids: dict[tuple[str, str, str, str], int] = {}
        self._tenant_texts: list[str] = []
        self._tenant_of: list[int] = []
        self._rest_ids: dict[tuple[str, str, str, str, str], int] = {}
        self._rest_texts: list[str] = []
        self._rest_of: list[int] = []
        self._blockers: dict[str, str] = {}
        self._prepare(self.rows, catalog, between_chunks)
        #: The customers that have profiles, by name (for the customer filter).
        self.customer_names = sorted({r.customer for r in self.rows}, key=str.casefold)
        self._catalog = catalog
        self._by_id: dict[int, int] | None = None

    def _prepare(
        self,
        rows: Iterable[ProfileRow],
        catalog: Catalog,
        between_chunks: Callable[[], None] | None = None,
    ) -> None:
        """Append the display and search texts of *rows* (already in ``rows``).

        It takes all rows at once, not one: at 100,000 rows a method call per row costs a
        third more time to build the list.
        """
        for n, row in enumerate(rows):
            if between_chunks is not None and n % 5_000 == 0:
                between_chunks()
            svc = self._service_text(row.services)
            app = self._app_names.get(row.app_type_id, row.app_type_id)
            self.services_text.append(svc)
            self.app_type_text.append(app)
            name = row.name.casefold()
            self._name_key.append(self._names.setdefault(name, name))
            self._tenant_of.append(
                _group(
                    self._tenant_ids,
                    self._tenant_texts,
                    (row.customer, row.tenant_domain, row.tenant_id, row.consenting_user),
                )
            )
            self._rest_of.append(self._rest_group(svc, app, row))
            if row.app_type_id not in self._blockers:
                self._blockers[row.app_type_id] = delete_blocker(row.app_type_id, catalog)

    def append(self, row: ProfileRow) -> int:
        """Add *row* (a profile added since the list was read); returns its index."""
        self.rows.append(row)
        self._prepare((row,), self._catalog)
        if row.customer not in self.customer_names:
            self._names_changed()
        if self._by_id is not None:
            self._by_id[row.id] = len(self.rows) - 1
        return len(self.rows) - 1

    def replace(self, index: int, row: ProfileRow) -> None:
        """Show *row* (re-read after a change) in place of row *index*."""
        before = self.rows[index].customer
        self.rows.append(row)
        self._prepare((row,), self._catalog)
        self.rows[index] = self.rows.pop()
        for texts in self._per_row():
            texts[index] = texts.pop()
        if row.customer != before:
            self._names_changed()

    def remove(self, indices: set[int]) -> list[int]:
        """Drop the rows *indices*; returns where each old index went (-1: removed)."""
        where: list[int] = []
        kept = 0
        for i in range(len(self.rows)):
            if i in indices:
                where.append(-1)
            else:
                where.append(kept)
                kept += 1
        keep = [i for i in range(len(self.rows)) if i not in indices]
        self.rows = [self.rows[i] for i in keep]
        self._by_id = None
        for texts in self._per_row():
            texts[:] = [texts[i] for i in keep]
        self._names_changed()
        return where

    def _per_row(self) -> tuple[list[Any], ...]:
        """The lists holding one entry per row, besides ``rows``."""
        return (
            self.services_text,
            self.app_type_text,
            self._name_key,
            self._tenant_of,
            self._rest_of,
        )

    def _names_changed(self) -> None:
        self.customer_names = sorted({r.customer for r in self.rows}, key=str.casefold)

    def index_of(self, profile_id: int) -> int:
        """The index of the profile's row, or -1."""
        if self._by_id is None:
            self._by_id = {row.id: n for n, row in enumerate(self.rows)}
        return self._by_id.get(profile_id, -1)

    def _service_text(self, services: tuple[str, ...]) -> str:
        text = self._services_text.get(services)
        if text is None:
            text = ", ".join(self._service_names.get(s, s) for s in services)
            self._services_text[services] = text
        return text

    def _rest_group(self, svc: str, app: str, row: ProfileRow) -> int:
        key = (svc, app, row.mode, row.status, row.reason)
        return _group(self._rest_ids, self._rest_texts, key)

    def update_status(self, index: int, status: str, reason: str, last_checked: str) -> None:
        """Show a new check result in row *index*; the search sees the new status too."""
        row = self.rows[index]._replace(status=status, reason=reason, last_checked=last_checked)
        if status == "Valid" and not row.consented_at:
            # As the store records it: a deferred consent's first Valid check is its time.
            row = row._replace(consented_at=last_checked)
        self.rows[index] = row
        self._rest_of[index] = self._rest_group(
            self.services_text[index], self.app_type_text[index], row
        )

    def __len__(self) -> int:
        return len(self.rows)

    def delete_blocker(self, index: int) -> str:
        """Why the row's profile cannot be deleted here, or ``""``."""
        return self._blockers.get(self.rows[index].app_type_id, "")

    def sort_key(self, column: int) -> Callable[[int], Any]:
        rows = self.rows
        names = self._name_key
        if column == 0:
            # The rows arrive by name then id, and the sort is stable: no tuples needed.
            return names.__getitem__
        if column == 1:
            return lambda i: (rows[i].customer.casefold(), names[i])
        if column == 2:
            return lambda i: rows[i].tenant_domain or rows[i].tenant_id
        if column == 3:
            return self.services_text.__getitem__
        if column == 4:
            return self.app_type_text.__getitem__
        if column == 5:
            return lambda i: rows[i].mode
        if column == 6:
            return lambda i: (_STATUS_RANK.get(rows[i].status, 9), names[i])
        if column == 7:
            return lambda i: rows[i].reason.casefold()
        if column == 9:
            return lambda i: rows[i].consented_at or ""
        if column == 10:
            return lambda i: rows[i].consenting_user.casefold()
        return lambda i: rows[i].last_checked or ""

    def sorted_order(self, column: int, descending: bool = False) -> list[int]:
        return sorted(range(len(self.rows)), key=self.sort_key(column), reverse=descending)

    def filter(self, order: Sequence[int], wanted: ListFilter) -> list[int]:
        """The indices of *order* (kept in its order) whose rows match *wanted*."""
        rows = self.rows
        needle = wanted.text.strip().casefold()
        result = list(order)
        if wanted.status:
            result = [i for i in result if rows[i].status == wanted.status]
        if wanted.statuses:
            result = [i for i in result if rows[i].status in wanted.statuses]
        if wanted.customer:
            result = [i for i in result if rows[i].customer == wanted.customer]
        if wanted.service:
            result = [i for i in result if wanted.service in rows[i].services]
        if needle:
            names, tenant_of, rest_of = self._name_key, self._tenant_of, self._rest_of
            tenant_hit = bytearray(needle in text for text in self._tenant_texts)
            rest_hit = bytearray(needle in text for text in self._rest_texts)
            result = [
                i
                for i in result
                if tenant_hit[tenant_of[i]] or rest_hit[rest_of[i]] or needle in names[i]
            ]
        return result

    def status_counts(self, indices: Sequence[int]) -> Counter[str]:
        rows = self.rows
        return Counter(rows[i].status for i in indices)


def _group(ids: dict[Any, int], texts: list[str], key: tuple[str, ...]) -> int:
    """The number of *key*'s group, adding it (with its lower-case search text) when new."""
    number = ids.get(key)
    if number is None:
        number = ids[key] = len(texts)
        texts.append("\t".join(key).casefold())
    return number


def counts_text(counts: Counter[str], shown: int, total: int) -> str:
    """``219 app profiles: 12 Invalid · 3 Expired · 204 Valid``; when a filter hides some,
    ``Showing 15 of 219 app profiles: 15 Invalid``. The counts are of the rows shown."""
    if total == 0:
        return "No app profiles"
    noun = "app profile" if total == 1 else "app profiles"
    head = f"{total:,} {noun}" if shown == total else f"Showing {shown:,} of {total:,} {noun}"
    parts = [f"{counts[s.value]:,} {s.value}" for s in STATUS_ORDER if counts[s.value]]
    return f"{head}: {' · '.join(parts)}" if parts else head


def read_first_page(store: Repository, limit: int) -> tuple[list[ProfileRow], bool]:
    """The list's first *limit* rows by name, and whether any customer exists (what the
    first-run page offers next depends on it). Listing needs none of the inventory's rules,
    so this reads the store directly."""
    with store.reading() as uow:
        found = uow.profiles.rows(limit=limit)
        return found, bool(found) or uow.customers.any()


def read_all(
    store: Repository, token: CancelToken | None = None, chunk: int = 20_000
) -> list[ProfileRow]:
    """Every row by name (one consistent read), checking *token* between chunks."""
    with store.reading() as uow:
        return uow.profiles.all_rows(token.raise_if_cancelled if token else None, chunk)
