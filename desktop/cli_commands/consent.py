"""``consent`` and ``consent-link``: create an app profile by consent in the system browser.

``consent`` opens the browser, waits for the answer, verifies, saves the profile through the
inventory and prints it. Exit 2 with one line when consent was declined, timed out, went to
another tenant, or the input was bad; nothing is saved then.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from desktop.cli_commands.common import add_browser_timeout, read_certificate, read_secret_line
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.explain import WAITING_LINE
from desktop.cli_commands.output import emit_object
from desktop.cli_commands.progress import say
from desktop.cli_commands.signin import PROGRESS
from desktop.cli_commands.ticket import add_ticket
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.consenting import consent_new_profile
from desktop.core.domain import AppProfile, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.identity.browser import BrowserOpener, open_system_browser
from desktop.core.identity.consent import ConsentPlan, consent_link, plan_consent
from desktop.core.identity.staged import StagedCertificates
from desktop.core.inventory import Inventory
from desktop.core.inventory.profiles import row_json
from desktop.core.services import IdentityServices
from desktop.core.team.leasing import creating


class ProfileInventory(Protocol):
    """What consent needs from the inventory: find the tenant, save the profile."""

    def find_tenant(self, key: str) -> tuple[Tenant, Customer]: ...

    def save(self, profile: AppProfile, customer: str) -> dict[str, Any]: ...


class _StoreInventory:
    """The store's inventory (SQLite), as consent uses it."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory

    @property
    def store(self) -> object:
        """The store under the inventory (the team database's leases are taken on it)."""
        return self.inventory.store

    def find_tenant(self, key: str) -> tuple[Tenant, Customer]:
        return self.inventory.tenants.find(key)

    def save(self, profile: AppProfile, customer: str) -> dict[str, Any]:
        """Save the profile with its history (created, consented, first check); its JSON."""
        saved = self.inventory.profiles.add(profile)
        assert saved.id is not None
        return row_json(self.inventory.profiles.row(saved.id))


def _inventory(ctx: CliContext) -> ProfileInventory:
    return _StoreInventory(ctx.inventory)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--customer", required=True, help="customer name")
    p.add_argument("--tenant", required=True, help="tenant ID or primary domain")
    p.add_argument(
        "--service",
        required=True,
        action="append",
        dest="services",
        metavar="SERVICE",
        help="service name as the documentation writes it (case-insensitive); repeat for several",
    )
    p.add_argument("--app-type", help="app type name or ID, when the services use several")
    p.add_argument("--mode", choices=("modern", "custom"), default="modern")
    p.add_argument("--app-id", default="", help="custom mode: the customer's application ID")


def register(sub: Any) -> None:
    p = sub.add_parser("consent", help="consent in the system browser and save the profile")
    _common(p)
    p.add_argument("--method", choices=("admin", "user"), default="admin")
    p.add_argument("--pfx", type=Path, help="custom mode: the app's certificate (.pfx)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the .pfx password from the first line of standard input",
    )
    p.add_argument(
        "--functions",
        nargs="+",
        default=[],
        metavar="F",
        help="delegated-app functions (names or IDs)",
    )
    p.add_argument(
        "--name", default="", help="profile name (default: service or app type – tenant domain)"
    )
    add_browser_timeout(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_ticket(p)
    p.set_defaults(handler=consent)
    q = sub.add_parser("consent-link", help="print the admin-consent URL for a customer's admin")
    _common(q)
    q.set_defaults(handler=link)


def _plan(
    args: argparse.Namespace,
    ctx: CliContext,
    wiring: IdentityServices,
    inventory: ProfileInventory,
    **extra: Any,
) -> ConsentPlan:
    tenant, customer = inventory.find_tenant(args.tenant)
    if customer.name.casefold() != args.customer.strip().casefold():
        raise UserError(
            f"The tenant {tenant.label} belongs to {customer.name}, not {args.customer}.",
            remedy=f'Use --customer "{customer.name}" or another tenant.',
        )
    return plan_consent(
        wiring.catalog,
        customer,
        tenant,
        args.services,
        app_type=args.app_type,
        mode=SetupMode(args.mode),
        client_id=lambda app: wiring.publisher_client_id(app, tenant.cloud),
        custom_app_id=args.app_id,
        **extra,
    )


def link(args: argparse.Namespace, ctx: CliContext) -> int:
    wiring = IdentityServices.load(ctx.paths, ctx.catalog)
    plan = _plan(args, ctx, wiring, _inventory(ctx))
    print(consent_link(plan, wiring.settings.consent_link_redirect_uri))
    return 0


def _read_pfx(args: argparse.Namespace) -> tuple[bytes | None, str | None]:
    if args.mode != "custom":
        if args.pfx or args.password_stdin:
            raise UserError(
                "A certificate is only used in custom mode.",
                remedy="Add --mode custom, or leave out --pfx.",
            )
        return None, None
    if args.pfx is None:
        raise UserError(
            "Custom mode needs the app's certificate.",
            remedy="Add --pfx FILE (and --password-stdin if it has a password).",
        )
    data = read_certificate(args.pfx)
    password = read_secret_line() if args.password_stdin else None
    return data, password


def consent(
    args: argparse.Namespace, ctx: CliContext, open_browser: BrowserOpener = open_system_browser
) -> int:
    wiring = IdentityServices.load(ctx.paths, ctx.catalog)
    inventory = _inventory(ctx)
    pfx, password = _read_pfx(args)
    plan = _plan(
        args,
        ctx,
        wiring,
        inventory,
        method=ConsentMethod(args.method),
        functions=args.functions,
        name=args.name,
    )
    # A custom app's certificate is held in memory during the browser wait; it enters the
    # vault only with the saved profile, so a killed run leaves no key behind.
    staged = StagedCertificates() if plan.mode is SetupMode.CUSTOM else None
    if staged is not None:
        ctx.certificates.check_available("store the certificate")  # refuse before the browser
    # Without a sign-in app, verification says Unknown, and why.
    engine = wiring.consent_engine(certificates=staged, open_browser=open_browser)
    # On the team database, the lease on the profile being created is taken before the
    # browser opens, as the wizard's: the server refuses a read-only role (or a colleague's
    # consent to the same app in the same tenant) before any consent exists in the tenant.
    with creating(
        getattr(inventory, "store", None),  # an inventory with no store takes no lease
        plan.tenant.tenant_id,
        plan.app_type.id,
        label=f"the {plan.app_type.label} profile for {plan.customer.name}",
        customer_id=plan.customer.id,
    ):
        say(
            f"Opening the system browser for {plan.method.value} consent to "
            f"{plan.app_type.name} in {plan.tenant.label}…"
        )
        say(WAITING_LINE)
        outcome = consent_new_profile(
            engine,
            plan,
            pfx=pfx,
            password=password,
            timeout=args.timeout or wiring.settings.consent_timeout_seconds,
            progress=PROGRESS,
        )
        saved = _save(ctx, inventory, outcome.profile, plan.customer.name, staged)
    emit_object(saved, args.format)
    return 0


def _save(
    ctx: CliContext,
    inventory: ProfileInventory,
    profile: AppProfile,
    customer: str,
    staged: StagedCertificates | None,
) -> dict[str, Any]:
    """Save *profile*; a custom one's certificate goes into the vault in the same step, and
    nothing is kept for a profile that was not saved, not even its certificate."""
    if staged is None:
        return inventory.save(profile, customer)
    certificates = ctx.certificates
    ref = certificates.store(staged.load(profile.certificate_ref))
    try:
        saved = inventory.save(replace(profile, certificate_ref=ref), customer)
    except BaseException:
        certificates.discard(ref)
        raise
    certificates.settle(ref)
    return saved
