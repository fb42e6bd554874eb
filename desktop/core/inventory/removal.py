"""Deleting profiles: the delete rule, vault secrets and the history, in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from desktop.core.catalog.model import Catalog
from desktop.core.domain import EventKind, ProfileEvent, utc_now
from desktop.core.errors import UserError
from desktop.core.inventory.rules import RemoveSecret, delete_blocker
from desktop.core.store import events
from desktop.core.store import profiles as profile_rows


class ProfileRef(NamedTuple):
    """Just enough of a profile to delete it."""

    id: int
    name: str
    app_type_id: str
    certificate_ref: str


def remove_profiles(
    conn: sqlite3.Connection,
    refs: Sequence[ProfileRef],
    catalog: Catalog,
    remove_secret: RemoveSecret | None,
    *,
    why: str = "",
) -> None:
    """Delete *refs* inside the caller's transaction.

    A vault failure raises, and the caller's transaction rolls back: profiles stay (with their
    references) and the vault removal is safe to repeat.
    """
    for ref in refs:
        blocker = delete_blocker(ref.app_type_id, catalog)
        if blocker:
            raise UserError(f"The app profile {ref.name} cannot be deleted.", remedy=blocker)
    needs_vault = [r for r in refs if r.certificate_ref]
    if needs_vault and remove_secret is None:
        raise UserError(
            f"The app profile {needs_vault[0].name} has a certificate in the vault, and the "
            "vault is not available.",
            remedy="Unlock the system keyring and try again.",
        )
    if needs_vault:
        assert remove_secret is not None
        # Ask the keyring before removing anything, so a locked keyring deletes nothing.
        check = getattr(remove_secret, "check_available", None)
        current = needs_vault[0]
        try:
            if callable(check):
                check()
            for current in needs_vault:
                remove_secret(current.certificate_ref)
        except Exception as exc:
            raise _not_deleted(current, exc) from exc
    now = utc_now()
    detail = f"Deleted ({why})" if why else "Deleted"
    events.record_many(
        conn, ((ProfileEvent(r.id, EventKind.DELETED, now, detail), r.name) for r in refs)
    )
    profile_rows.delete_many(conn, [r.id for r in refs])


def refusal(
    kind: str, name: str, blocked: Sequence[tuple[ProfileRef, str]], total: int
) -> UserError:
    """Why the *kind* ("customer" or "tenant") *name* cannot be removed: some of its *total*
    profiles are ones this app does not delete (the delete rule), and removing it would."""
    count = len(blocked)
    names = ", ".join(p.name for p, _ in blocked[:3]) + (", …" if count > 3 else "")
    which, gone = ("it", "that app profile is") if count == 1 else ("them", "those are")
    return UserError(
        f"The {kind} {name} was not removed: {count} of its {total} app profile(s) cannot be "
        f"deleted in this app ({names}), and removing the {kind} would delete {which}.",
        remedy=f"{blocked[0][1]} Once {gone} gone, remove the {kind} here. Nothing was changed.",
        detail="\n".join(f"{p.name} (#{p.id}): {why}" for p, why in blocked),
    )


def _not_deleted(ref: ProfileRef, exc: Exception) -> UserError:
    """The vault refused: say why, and that no profile was deleted (the transaction rolls back)."""
    if isinstance(exc, UserError):
        return UserError(
            f"{exc.message} No app profile was deleted.",
            remedy="Unlock the system keyring (or allow this app to use it), then delete again.",
            detail=exc.detail,
        )
    return UserError(
        f"The certificate of {ref.name} could not be removed from the vault; nothing was deleted.",
        remedy="Unlock the system keyring and try again.",
        detail=f"{type(exc).__name__}: {exc}",
    )
