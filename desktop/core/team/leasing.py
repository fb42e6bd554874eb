"""Leases around long operations on profiles (consent, re-authorize, delete), for the CLI and
the GUI alike: a colleague's same operation on the same profile is refused in words while
this one runs, and the lease is renewed until it ends.

On the local SQLite store (one technician) nothing is taken.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any


@contextmanager
def leased(store: Any, operation: str, ids: Sequence[int]) -> Iterator[None]:
    """Hold a lease on each profile of *ids* in *store* for *operation* (team database only).
    Raises ``LeaseHeldError`` ("Bob is re-authorizing Contoso Baseline (since 14:02)") when a
    colleague holds one; call off the GUI thread (it talks to the server)."""
    url = getattr(store, "url", None)
    if url is None or not ids:
        yield
        return
    from desktop.core.store.postgres.choose import password_for
    from desktop.core.store.postgres.connection import connect
    from desktop.core.store.postgres.credentials import TeamDatabase
    from desktop.core.team.leases import Lease

    password = password_for(TeamDatabase(url))
    with store.reading() as uow:
        found = {p.id: p for p in uow.profiles.get_many(list(ids))}
    with ExitStack() as stack:
        for profile_id in ids:
            profile = found.get(profile_id)
            stack.enter_context(
                Lease(
                    lambda: connect(url, password=password),
                    "profile",
                    profile_id,
                    operation,
                    label=profile.name if profile else "",
                    customer_id=profile.customer_id if profile else None,
                )
            )
        yield
