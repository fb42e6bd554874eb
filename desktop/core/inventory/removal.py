"""Deleting profiles: the delete rule, vault secrets and the history, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from desktop.core.catalog.model import Catalog
from desktop.core.domain import EventKind, ProfileEvent, utc_now
from desktop.core.errors import UserError
from desktop.core.inventory.rules import RemoveSecret, delete_blocker
from desktop.core.storage.interface import UnitOfWork
from desktop.core.storage.types import ProfileRef

__all__ = [
    "ProfileRef",
    "RemovalPlanRules",
    "blocked_by_rule",
    "refusal",
    "refuse_if_changed",
    "remove_profiles",
]


def remove_profiles(
    uow: UnitOfWork,
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
    uow.history.record_many(
        (ProfileEvent(r.id, EventKind.DELETED, now, detail), r.name) for r in refs
    )
    uow.profiles.delete_many([r.id for r in refs])


def blocked_by_rule(
    refs: Sequence[ProfileRef], catalog: Catalog
) -> tuple[tuple[ProfileRef, str], ...]:
    """The profiles among *refs* that the delete rule keeps, each with the reason."""
    return tuple((p, why) for p in refs if (why := delete_blocker(p.app_type_id, catalog)))


def refuse_if_changed(
    current: Sequence[ProfileRef], planned: Sequence[ProfileRef], whose: str
) -> None:
    """Refuse a confirmed plan when *whose* profiles are no longer the ones confirmed."""
    if {p.id for p in current} != {p.id for p in planned}:
        raise UserError(
            f"The profiles of {whose} changed since you confirmed.",
            remedy="Review the list again and confirm once more.",
        )


class RemovalPlanRules:
    """The confirm-or-refuse rules shared by the customer and the tenant removal plans.

    A plan (a frozen dataclass) names its *kind* and *subject* and has ``profiles`` and
    ``blocked``.
    """

    kind: ClassVar[str]
    profiles: tuple[ProfileRef, ...]
    #: Profiles that the delete rule keeps, with the reason; a non-empty list blocks removal.
    blocked: tuple[tuple[ProfileRef, str], ...]

    @property
    def subject(self) -> str:
        """The name of what is removed, as the messages show it."""
        raise NotImplementedError

    @property
    def needs_confirmation(self) -> bool:
        """Removing something that has profiles is confirmed first (never when refused)."""
        return bool(self.profiles) and not self.blocked

    def refusal(self) -> UserError | None:
        """Why it cannot be removed (the delete rule), or None when it can."""
        if not self.blocked:
            return None
        return refusal(self.kind, self.subject, self.blocked, len(self.profiles))

    def profile_lines(self) -> list[str]:
        """The confirmation text's lines about the profiles that go."""
        if not self.profiles:
            return []
        return [
            f"App profiles ({len(self.profiles)}):",
            *(f"  - {p.name} (#{p.id})" for p in self.profiles),
        ]


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
