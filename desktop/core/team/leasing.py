"""Leases around long operations on profiles (consent, re-authorize, delete), for the CLI and
the GUI alike: a colleague's same operation on the same profile is refused in words while
this one runs, and the lease is renewed until it ends. A profile the wizard is creating has
no id yet: its lease is on the tenant and app it will be for (:func:`creating`).

On the local SQLite store (one technician) nothing is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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
    from desktop.core.team.leases import Lease

    connect = _connector(url)
    with store.reading() as uow:
        found = {p.id: p for p in uow.profiles.get_many(list(ids))}
    with ExitStack() as stack:
        for profile_id in ids:
            profile = found.get(profile_id)
            stack.enter_context(
                Lease(
                    connect,
                    "profile",
                    profile_id,
                    operation,
                    label=profile.name if profile else "",
                    customer_id=profile.customer_id if profile else None,
                )
            )
        yield


#: The entity of a lease on a profile being created: its id is "tenant id/app type id".
NEW_PROFILE = "new_profile"


@contextmanager
def creating(
    store: Any, tenant_id: str, app_type_id: str, *, label: str, customer_id: int | None
) -> Iterator[None]:
    """Hold the ``create`` lease on the profile of *app_type_id* in *tenant_id* that the
    wizard is consenting to (team database only): a colleague starting the same one is
    refused ("Alice is creating the Nitro profile for Contoso (since 14:02)").
    *label* says what is created; call off the GUI thread (it talks to the server)."""
    url = getattr(store, "url", None)
    if url is None:
        yield
        return
    from desktop.core.team.leases import Lease

    with Lease(
        _connector(url),
        NEW_PROFILE,
        f"{tenant_id.strip().lower()}/{app_type_id}",
        "create",
        label=label,
        customer_id=customer_id,
    ):
        yield


def _connector(url: str) -> Callable[[], Any]:
    """Connects to the team database at *url* with the technician's password (or token)."""
    from desktop.core.store.postgres.choose import password_for
    from desktop.core.store.postgres.connection import connect
    from desktop.core.store.postgres.credentials import TeamDatabase

    password = password_for(TeamDatabase(url))
    return lambda: connect(url, password=password)
