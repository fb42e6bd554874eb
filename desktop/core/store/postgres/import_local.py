"""Copying a technician's local inventory into the team store, as often as needed.

Customers are matched by name, tenants by tenant ID and profiles by tenant, app type, name and
creation time (two profiles may share a name):
what the team store already holds is left as it is and counted as already there; the rest is
added with its history, in one unit of work (all of it, or nothing). A tenant that the team
store keeps under another customer is a conflict: it and its profiles are not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import Any

from desktop.core.domain import AppProfile, Customer, Tenant
from desktop.core.storage.interface import Repository

_KINDS = ("customers", "tenants", "profiles", "events")


@dataclass
class ImportReport:
    """What an import added, what was already there, and what it could not copy."""

    merged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    already_there: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS[:3], 0))
    conflicts: list[str] = field(default_factory=list)
    #: Profiles whose certificate stays in this computer's vault.
    local_certificates: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "merged": self.merged,
            "already_there": self.already_there,
            "conflicts": self.conflicts,
            "local_certificates": self.local_certificates,
        }

    def summary(self) -> str:
        m, a = self.merged, self.already_there
        text = (
            f"Merged {_n(m['customers'], 'customer')}, {_n(m['tenants'], 'tenant')} and "
            f"{_n(m['profiles'], 'profile')} (with {_n(m['events'], 'history entry')}); "
            f"already there: {_n(a['customers'], 'customer')}, {_n(a['tenants'], 'tenant')}, "
            f"{_n(a['profiles'], 'profile')}."
        )
        if self.conflicts:
            text += f" Not copied: {'; '.join(self.conflicts)}."
        return text


def _n(count: int, noun: str) -> str:
    """'1 tenant', '2 tenants', '0 history entries'."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def _key(profile: AppProfile) -> tuple[str, str, str, str]:
    """What makes a profile the same in both stores (times kept to the second in both)."""
    created = profile.created_at.astimezone(UTC).replace(microsecond=0).isoformat()
    return (profile.tenant_id, profile.app_type_id, profile.name.casefold(), created)


def import_local(source: Repository, target: Repository) -> ImportReport:
    """Copy what *target* lacks from *source*; returns what was done."""
    report = ImportReport()
    with source.reading() as local:
        customers = local.customers.all()
        tenants = local.tenants.of_customer(None)
        profiles = local.profiles.get_all()
        history = {p.id: local.history.of_profile(p.id) for p in profiles if p.id is not None}
    with target.unit_of_work() as team:
        customer_ids: dict[int, int] = {}
        for customer in customers:
            found = team.customers.by_name(customer.name)
            if found is not None and found.id is not None:
                report.already_there["customers"] += 1
                customer_ids[customer.id or 0] = found.id
                missing = set(customer.aos_service_ids) - set(found.aos_service_ids)
                if missing:
                    team.customers.add_services((found.id, s) for s in sorted(missing))
                continue
            new_id = team.customers.insert(
                Customer(customer.name, customer.notes, customer.aos_service_ids)
            )
            customer_ids[customer.id or 0] = new_id
            report.merged["customers"] += 1
        copied_tenants: set[str] = set()
        for tenant in tenants:
            mapped = customer_ids[tenant.customer_id]
            found_tenant = team.tenants.by_id(tenant.tenant_id)
            if found_tenant is None:
                team.tenants.insert(
                    Tenant(
                        tenant.tenant_id,
                        mapped,
                        tenant.primary_domain,
                        tenant.display_name,
                        tenant.cloud,
                    )
                )
                report.merged["tenants"] += 1
            elif found_tenant.customer_id != mapped:
                report.conflicts.append(
                    f"tenant {tenant.primary_domain or tenant.tenant_id} belongs to another "
                    "customer in the team store"
                )
                continue
            else:
                report.already_there["tenants"] += 1
            copied_tenants.add(tenant.tenant_id)
        existing = {_key(p) for p in team.profiles.get_all()}
        for profile in profiles:
            if profile.tenant_id not in copied_tenants:
                continue
            key = _key(profile)
            if key in existing:
                report.already_there["profiles"] += 1
                continue
            new_id = team.profiles.insert(
                replace(profile, id=None, customer_id=customer_ids[profile.customer_id])
            )
            existing.add(key)
            report.merged["profiles"] += 1
            if profile.certificate_ref:
                report.local_certificates += 1
            events = history.get(profile.id or 0, [])
            team.history.record_many((replace(e, profile_id=new_id), profile.name) for e in events)
            report.merged["events"] += len(events)
    return report
