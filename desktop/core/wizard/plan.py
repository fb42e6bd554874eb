"""What Save writes: the app profiles of a wizard run, and a summary in words.

:func:`build_plan` turns the wizard's state into a :class:`SavePlan`; the inventory service writes
it in one transaction (customer and tenant created inline, AOS services added, the profiles).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core import naming
from desktop.core.catalog.model import Catalog, SetupMode
from desktop.core.domain import AppProfile, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard.state import ConsentRow, ConsentState, WizardState, normalize_guid

DEFERRED_REASON = "Consent not granted yet: it was deferred in the create wizard."
DEFERRED_REMEDY = (
    "Once the customer's Global Administrator has consented (with the consent link), check the "
    "app profile: it turns Valid. Without that consent a check marks it Invalid, and "
    "Re-authorize app then consents to it."
)


@dataclass(frozen=True)
class SavePlan:
    """Everything Save writes, in one transaction."""

    customer: Customer
    tenant: Tenant
    new_customer: bool
    new_tenant: bool
    added_aos_services: tuple[str, ...]
    #: Profiles with ``customer_id`` and ``tenant_id`` to be filled in by the store when the
    #: customer or tenant is new (``customer_id`` 0 until then).
    profiles: tuple[AppProfile, ...]
    #: App ids of custom-mode profiles; those without a ``certificate_ref`` yet get the
    #: certificate stored in the vault at Save.
    custom_app_ids: tuple[str, ...] = ()


def profile_name(row: ConsentRow, state: WizardState, catalog: Catalog) -> str:
    """The name a new profile gets: the custom name, or the one pattern of
    :func:`desktop.core.naming.profile_name`."""
    if row.mode is SetupMode.CUSTOM and state.custom.profile_name.strip():
        return state.custom.profile_name.strip()
    if state.tenant is None:
        return row.app.label
    return naming.profile_name(catalog, row.app, row.service_ids, state.tenant)


def build_profile(row: ConsentRow, state: WizardState, catalog: Catalog) -> AppProfile:
    if state.customer is None or state.tenant is None:
        raise UserError("Choose the customer and tenant before saving.")
    granted = row.state is ConsentState.GRANTED
    custom = row.mode is SetupMode.CUSTOM
    return AppProfile(
        name=profile_name(row, state, catalog),
        customer_id=state.customer.id or 0,
        tenant_id=state.tenant.tenant_id,
        service_ids=row.service_ids,
        app_type_id=row.app_id,
        mode=row.mode,
        status=row.status if granted else Status.UNKNOWN,
        reason=row.status_reason if granted else DEFERRED_REASON,
        remedy=row.status_remedy if granted else DEFERRED_REMEDY,
        consent_method=row.method,
        consenting_user=row.consenting_user if granted else "",
        consented_at=row.consented_at if granted else None,
        last_checked=row.checked_at if granted and row.status is not Status.UNKNOWN else None,
        functions=row.functions,
        custom_app_id=(normalize_guid(state.custom.application_id) or "") if custom else "",
        certificate_ref=row.certificate_ref if custom else "",
        baseline=row.baseline if granted else (),
    )


def saved_rows(state: WizardState, *, only_granted: bool = False) -> list[ConsentRow]:
    """The rows that become profiles: all but the skipped ones, or only the consented ones."""
    if only_granted:
        return [r for r in state.rows if r.state is ConsentState.GRANTED]
    return [r for r in state.rows if r.state is not ConsentState.SKIPPED]


def build_plan(state: WizardState, catalog: Catalog, *, only_granted: bool = False) -> SavePlan:
    """The plan Save writes (``only_granted`` for "Save anyway" after Cancel).

    Raises :class:`UserError` if there is nothing to save.
    """
    if state.customer is None or state.tenant is None:
        raise UserError("Choose the customer and tenant before saving.")
    rows = saved_rows(state, only_granted=only_granted)
    if not rows:
        raise UserError("There is no app profile to save.", remedy="Choose a service.")
    return SavePlan(
        customer=state.customer,
        tenant=state.tenant,
        new_customer=state.new_customer,
        new_tenant=state.new_tenant,
        added_aos_services=state.added_aos_services,
        profiles=tuple(build_profile(row, state, catalog) for row in rows),
        custom_app_ids=tuple(r.app_id for r in rows if r.mode is SetupMode.CUSTOM),
    )


def summary_lines(state: WizardState, catalog: Catalog) -> list[str]:
    """The Summary step in words, one line each."""
    lines: list[str] = []
    if state.ticket.strip():
        lines.append(f"Ticket: {state.ticket.strip()}")
    if state.customer is not None:
        new = " (new)" if state.new_customer else ""
        lines.append(f"Customer: {state.customer.name}{new}")
    if state.tenant is not None:
        new = " (new)" if state.new_tenant else ""
        lines.append(f"Tenant: {state.tenant.label} · {state.tenant.tenant_id}{new}")
    if state.added_aos_services:
        names = ", ".join(catalog.service(s).name for s in state.added_aos_services)
        lines.append(f"AOS services added for the customer: {names}")
    for row in state.rows:
        if row.state is ConsentState.SKIPPED:
            lines.append(f"{row.app.label}: not needed, no app profile is created")
            continue
        services = ", ".join(catalog.service(s).name for s in row.service_ids)
        head = f"{row.app.label}, {row.mode.value} mode, for {services}"
        if row.mode is SetupMode.CUSTOM:
            head += f" (app profile “{profile_name(row, state, catalog)}”)"
        if row.state is ConsentState.GRANTED:
            how = "user" if row.method.value == "user" else "administrator"
            who = f" by {row.consenting_user}" if row.consenting_user else ""
            tail = f"consented ({how} consent{who})"
            if row.status is Status.UNKNOWN:
                tail += "; checked right after Save"
            else:
                tail += f"; first status {row.status.value}"
                if row.status_reason:
                    tail += f": {row.status_reason}"
        else:
            tail = "consent deferred; saved as not yet consented"
        if row.functions:
            names = ", ".join(f.name for f in row.app.functions if f.id in row.functions)
            tail += f"; functions: {names}"
        lines.append(f"{head} — {tail}")
    kept = {r.app_id for r in state.rows if r.state is not ConsentState.SKIPPED}
    open_roles = [
        f"{r.role.name} for {r.app.label}"
        for r in state.roles
        if r.app.id in kept and r.state.value in ("to_assign", "failed")
    ]
    if open_roles:
        lines.append("Roles still to assign by hand: " + "; ".join(open_roles))
    return lines
