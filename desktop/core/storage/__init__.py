"""The storage seam: what core asks of the inventory's storage, in domain terms.

:mod:`desktop.core.storage.interface` holds the protocols (a :class:`Repository` hands out
units of work; a unit of work reads and writes customers, tenants, profiles and history) and
:mod:`desktop.core.storage.types` the rows they return. Nothing here speaks SQL: each backend
is its own module family (:mod:`desktop.core.store` is SQLite) implementing these protocols,
and only it holds SQL. Every write announces its changes (:mod:`desktop.core.changes`).
"""
