"""The SQLite store of customers, tenants, app profiles and their history.

:class:`Store` opens (and migrates) the file; the modules ``customers``, ``tenants``,
``profiles`` and ``events`` read and write rows on a connection inside a transaction. Callers
outside core use :mod:`desktop.core.inventory`, which adds the rules.
"""

from __future__ import annotations

from desktop.core.store.connection import transaction
from desktop.core.store.database import Store
from desktop.core.store.profiles import ProfileRow
from desktop.core.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "ProfileRow", "Store", "transaction"]
