"""The create-profile wizard as a Qt-free step machine (seed 002, "Create a Customer App Profile").

:class:`CreateProfileWizard` decides which steps show, what each step still needs before Next is
enabled (:meth:`~CreateProfileWizard.blockers`, in words), and which step comes next. The GUI
attaches one page to each :class:`~desktop.core.wizard.state.Step` and forwards what the
technician does; the consent and role steps record what the controllers report.

Steps 1 to 3 (customer, services, setup method) and the rebuilding of consent rows and role
items are :class:`~desktop.core.wizard.choices.ProfileChoices`'; step 4's rows are
:class:`~desktop.core.wizard.consent_rows.ConsentRows`'.
"""

from __future__ import annotations

from desktop.core.catalog.model import SetupMode
from desktop.core.wizard.choices import ProfileChoices, family_label
from desktop.core.wizard.state import (
    STEP_ORDER,
    AzureRoleItem,
    ConsentState,
    RoleItem,
    RoleState,
    Step,
    normalize_guid,
)

__all__ = ["CreateProfileWizard", "family_label"]


class CreateProfileWizard(ProfileChoices):
    """The rules of one wizard run over a catalog.

    Attributes:
        catalog: the services and app types on offer.
        state: what has been gathered; read it, change it through the methods below.
    """

    # -- steps -------------------------------------------------------------------------------

    def is_shown(self, step: Step) -> bool:
        """Whether *step* is part of this run, given what is chosen so far."""
        if step is Step.SETUP:
            # Only when a chosen service offers a choice (Baseline management). AOS services
            # have none: the Services step says that modern mode is used.
            return any(len(self.mode_choices(s)) > 1 for s in self.services())
        if step is Step.ROLES:
            return bool(self.state.roles) or bool(self.azure_roles())
        return True

    def shown_steps(self) -> list[Step]:
        return [step for step in STEP_ORDER if self.is_shown(step)]

    def step_indicator(self, step: Step) -> str:
        """Where *step* stands in this run, e.g. "Step 2 of 5 · Services"."""
        shown = self.shown_steps()
        if step not in shown:
            return step.label
        return f"Step {shown.index(step) + 1} of {len(shown)} · {step.label}"

    def next_step(self, step: Step) -> Step | None:
        """The step after *step*, or None after the last one."""
        later = STEP_ORDER[STEP_ORDER.index(step) + 1 :]
        return next((s for s in later if self.is_shown(s)), None)

    def blockers(self, step: Step) -> list[str]:
        """What *step* still needs before Next (or Save) is enabled; empty when complete."""
        check = {
            Step.CUSTOMER: self._customer_blockers,
            Step.SERVICES: self._services_blockers,
            Step.SETUP: self._setup_blockers,
            Step.CONSENT: self._consent_blockers,
            Step.ROLES: self._roles_blockers,
            Step.SUMMARY: self._summary_blockers,
        }[step]
        return check()

    def can_advance(self, step: Step) -> bool:
        return not self.blockers(step)

    # -- step 5: roles -----------------------------------------------------------------------

    def azure_roles(self) -> list[AzureRoleItem]:
        """Azure subscription roles of the chosen apps (Azure security management)."""
        rows = [r for r in self.state.rows if r.app.azure_roles]
        return [AzureRoleItem(r.app, r.app.azure_roles) for r in rows]

    def role(self, app_id: str, role_name: str) -> RoleItem:
        for item in self.state.roles:
            if item.key == (app_id, role_name):
                return item
        raise KeyError((app_id, role_name))

    def can_assign_now(self, item: RoleItem) -> bool:
        """Whether "Assign now" makes sense: the app's service principal exists in the tenant."""
        if item.state not in (RoleState.TO_ASSIGN, RoleState.FAILED):
            return False
        if self.state.tenant is None:
            return False
        row = self.row(item.app.id)
        if row.mode is SetupMode.CUSTOM:
            # The customer's own app is in its tenant already: its roles come before consent.
            return normalize_guid(self.state.custom.application_id) is not None
        return row.app.id in self.state.granted_app_ids

    def role_assigning(self, app_id: str, role_name: str) -> None:
        item = self.role(app_id, role_name)
        item.state, item.message = RoleState.ASSIGNING, "Assigning…"

    def role_assigned(self, app_id: str, role_name: str, message: str) -> None:
        item = self.role(app_id, role_name)
        item.state, item.message = RoleState.ASSIGNED, message

    def role_failed(self, app_id: str, role_name: str, message: str) -> None:
        item = self.role(app_id, role_name)
        item.state, item.message = RoleState.FAILED, message

    def confirm_azure_roles(self, confirmed: bool) -> None:
        self.state.azure_roles_confirmed = confirmed

    def _roles_blockers(self) -> list[str]:
        out: list[str] = []
        if any(r.state is RoleState.ASSIGNING for r in self.state.roles):
            out.append("Wait until the role assignment finishes, or cancel it.")
        granted_azure = [a for a in self.azure_roles() if a.app.id in self.state.granted_app_ids]
        if granted_azure and not self.state.azure_roles_confirmed:
            out.append(
                "Add the Azure security management app to the subscriptions with the roles "
                "listed, then confirm it (they must be added before you save)."
            )
        return out

    # -- step 6: summary ---------------------------------------------------------------------

    def _summary_blockers(self) -> list[str]:
        if self.state.saved:
            return ["The app profiles are saved."]
        out = [
            f"{step.label}: {text}"
            for step in self.shown_steps()
            if step is not Step.SUMMARY
            for text in self.blockers(step)
        ]
        if self.state.rows and all(r.state is ConsentState.SKIPPED for r in self.state.rows):
            out.append("Every app is marked as not needed: there is no app profile to save.")
        elif not self.state.rows:
            out.append("There is no app profile to save.")
        return out

    def save_anyway_blockers(self) -> list[str]:
        """What even "Save anyway" (after Cancel) must not skip: a running role assignment,
        and the Azure roles, which seed 002 wants added before the app profile is saved."""
        return self._roles_blockers()

    def mark_saved(self) -> None:
        self.state.saved = True

    def cancel_warning(self) -> str | None:
        """What to tell a technician who cancels after granting a consent, or None."""
        if self.state.saved or not self.state.granted_app_ids:
            return None
        names = sorted(self.catalog.app_type(a).label for a in self.state.granted_app_ids)
        tenant = self.state.tenant.label if self.state.tenant else "the tenant"
        return (
            f"Consent for {', '.join(names)} now exists in {tenant}. If you cancel, no app "
            "profile records it, and the app stays consented in the tenant until an "
            "administrator removes it. Save the app profiles anyway?"
        )

    def discard_question(self) -> str | None:
        """What to ask before closing discards what was typed: a new customer, a tenant
        looked up or entered. None when nothing typed would be lost (or all is saved)."""
        if self.state.saved:
            return None
        lost: list[str] = []
        customer, tenant = self.state.customer, self.state.tenant
        if self.state.new_customer and customer is not None and customer.name.strip():
            lost.append(f"the new customer “{customer.name.strip()}”")
        if self.state.new_tenant and tenant is not None:
            lost.append(f"the tenant {tenant.label} ({tenant.tenant_id})")
        if not lost:
            return None
        return f"Close the wizard and discard {' and '.join(lost)}? Nothing has been saved yet."
