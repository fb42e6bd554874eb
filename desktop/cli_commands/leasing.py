"""Leases around the CLI's long operations on the team database (delete, re-authorize): a
colleague's same operation on the same profile is refused in words while this one runs.
The logic is shared with the GUI in :mod:`desktop.core.team.leasing`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from desktop.core.team.leasing import leased as leased_in_store


@contextmanager
def leased(ctx: Any, operation: str, ids: Sequence[int]) -> Iterator[None]:
    """Hold a lease on each profile of *ids* (team database only; the local store has one
    technician). Raises ``LeaseHeldError`` naming who holds one."""
    with leased_in_store(ctx.inventory.store, operation, ids):
        yield
