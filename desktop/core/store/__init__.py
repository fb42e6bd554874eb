"""The SQLite store of customers, tenants, app profiles and their history.

This package is the SQLite implementation of :mod:`desktop.core.storage`, and the only module
family that imports ``sqlite3``. :class:`Store` opens (and migrates) the file and hands out
units of work (:mod:`.repository`); the modules ``customers``, ``tenants``, ``profiles`` and
``events`` hold the SQL of each table. Callers use :mod:`desktop.core.inventory`, which adds the
rules, and speak to the store only through the storage interface.
"""

from __future__ import annotations

from desktop.core.store.connection import transaction
from desktop.core.store.database import Store
from desktop.core.store.profiles import ProfileRow
from desktop.core.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "ProfileRow", "Store", "transaction"]
