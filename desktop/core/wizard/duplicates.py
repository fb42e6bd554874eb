"""No silent duplicates: the profiles a tenant already has for the apps a wizard run would add.

The wizard lists them on its Consent step and offers to re-authorize the existing profile
instead of creating a second one. Classic profiles are not re-authorized in this app (seed 002:
in AvePoint Online Services), so for them the wizard says where instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from desktop.core.catalog.model import SetupMode
from desktop.core.wizard.state import ConsentRow, WizardState


class ExistingProfile(NamedTuple):
    """A profile already in the store, as much as the duplicate check needs."""

    id: int
    name: str
    tenant_id: str
    app_type_id: str
    mode: SetupMode
    status: str


class Duplicate(NamedTuple):
    """An app of this run that the chosen tenant already has a profile for."""

    row: ConsentRow
    existing: ExistingProfile

    @property
    def reauthorizable(self) -> bool:
        """Whether this app can re-authorize the existing profile (not a classic one)."""
        return self.existing.mode is not SetupMode.CLASSIC

    def text(self, tenant: str) -> str:
        """The duplicate in words, with what to do instead."""
        head = (
            f"{tenant} already has an app profile for {self.row.app.label}: "
            f"“{self.existing.name}” ({self.existing.status})."
        )
        if self.reauthorizable:
            return (
                f"{head} Re-authorize it instead of creating a second one, or mark this app "
                "Not needed."
            )
        return (
            f"{head} It is a classic app profile: re-authorize it in AvePoint Online Services, "
            "not here. Mark this app Not needed to create no second one."
        )


def find_duplicates(state: WizardState, existing: Iterable[ExistingProfile]) -> list[Duplicate]:
    """The run's apps that the chosen tenant (an existing one) already has profiles for."""
    tenant = state.tenant
    if tenant is None or state.new_tenant:
        return []
    by_app: dict[str, ExistingProfile] = {}
    for profile in existing:
        if profile.tenant_id == tenant.tenant_id:
            by_app.setdefault(profile.app_type_id, profile)
    return [Duplicate(row, by_app[row.app_id]) for row in state.rows if row.app_id in by_app]
