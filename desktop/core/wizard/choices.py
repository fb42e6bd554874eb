"""Steps 1 to 3 of the create-profile wizard: customer and tenant, services, setup method.

What is chosen here decides the rest of the run: every change of services or modes rebuilds
the consent rows (step 4) and role items (steps 3 and 5), keeping what is already known about
the apps that stay. :class:`~desktop.core.wizard.machine.CreateProfileWizard` builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from desktop.core.catalog.model import (
    AppType,
    Catalog,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
)
from desktop.core.domain import Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard.consent_rows import ConsentRows
from desktop.core.wizard.state import (
    ConsentRow,
    RoleItem,
    RoleState,
    WizardState,
    normalize_guid,
)


class ProfileChoices(ConsentRows):
    """What a wizard run creates: the customer, tenant, services and their setup modes.

    Attributes:
        catalog: the services and app types on offer.
        state: what has been gathered; read it, change it through the methods below.
    """

    def __init__(self, catalog: Catalog, *, client_ids: Mapping[str, str] | None = None) -> None:
        super().__init__(WizardState(), client_ids or {})
        self.catalog = catalog

    # -- step 1: customer and tenant ---------------------------------------------------------

    def set_customer(self, customer: Customer | None, *, new: bool = False) -> None:
        """Choose the customer (``new`` when created inline; it is saved with the profiles)."""
        if customer is not None and new and not customer.name.strip():
            raise UserError("A new customer needs a name.", remedy="Type the customer's name.")
        changed = customer is not self.state.customer
        self.state.customer = customer
        self.state.new_customer = new and customer is not None
        if changed:
            self.state.tenant = None
            self.state.new_tenant = False
            self.state.added_aos_services = ()
            if self.state.family is ServiceFamily.AOS:
                self._set_services(())

    def set_tenant(self, tenant: Tenant | None, *, new: bool = False) -> None:
        """Choose the tenant (``new`` when created inline after a tenant look-up)."""
        self.state.tenant = tenant
        self.state.new_tenant = new and tenant is not None

    def _customer_blockers(self) -> list[str]:
        out: list[str] = []
        customer, tenant = self.state.customer, self.state.tenant
        if customer is None:
            out.append("Choose a customer, or create one.")
        if tenant is None:
            out.append("Choose the customer's tenant, or add one.")
        elif (
            customer is not None
            and not self.state.new_customer
            and not self.state.new_tenant
            and tenant.customer_id != customer.id
        ):
            out.append(f"The tenant {tenant.label} belongs to another customer.")
        return out

    # -- step 2: services --------------------------------------------------------------------

    def offered_services(self, family: ServiceFamily) -> list[Service]:
        """The services step 2 lists for *family*; AOS only those added for the customer."""
        creatable = [s for s in self.catalog.services if s.family is family and s.creatable]
        if family is ServiceFamily.PREMIUM:
            return creatable
        added = set(self._customer_aos_services())
        return [s for s in creatable if s.id in added]

    def addable_aos_services(self) -> list[Service]:
        """AOS services the wizard can create that are not yet added for the customer."""
        added = set(self._customer_aos_services())
        return [
            s
            for s in self.catalog.services
            if s.family is ServiceFamily.AOS and s.creatable and s.id not in added
        ]

    def add_aos_service(self, service_id: str) -> None:
        """Add an AOS service for the customer; written to the store on Save."""
        service = self._service(service_id)
        if service.family is not ServiceFamily.AOS or not service.creatable:
            raise UserError(f"{service.name} is not an AOS service this wizard can create.")
        if service_id not in self._customer_aos_services():
            self.state.added_aos_services = (*self.state.added_aos_services, service_id)

    def choose_family(self, family: ServiceFamily) -> None:
        """Pick premium or AOS services; switching family drops the other family's choices."""
        if family is not self.state.family:
            self.state.family = family
            self._set_services(())

    def set_services(self, service_ids: Iterable[str]) -> None:
        """Choose the services of the current family (one family per run)."""
        family = self.state.family
        if family is None:
            raise UserError("Choose premium or AOS services first.")
        ids = tuple(dict.fromkeys(service_ids))
        offered = {s.id for s in self.offered_services(family)}
        for service_id in ids:
            service = self._service(service_id)
            if service.family is not family:
                raise UserError(
                    f"{service.name} is not one of the {family_label(family)}.",
                    remedy="A wizard run creates premium or AOS app profiles, not both.",
                )
            if service_id not in offered:
                raise UserError(
                    f"{service.name} has not been added for this customer.",
                    remedy="Add the service for the customer first.",
                )
        self._set_services(ids)

    def _service(self, service_id: str) -> Service:
        try:
            return self.catalog.service(service_id)
        except KeyError:
            raise UserError(
                f"There is no service {service_id!r} in the catalog.",
                remedy="Choose one of the services listed.",
            ) from None

    def services(self) -> list[Service]:
        return [self.catalog.service(s) for s in self.state.service_ids]

    def _services_blockers(self) -> list[str]:
        if self.state.family is None:
            return ["Choose Elements premium services or AOS services."]
        if not self.state.service_ids:
            if self.state.family is ServiceFamily.AOS and not self.offered_services(
                ServiceFamily.AOS
            ):
                return ["No AOS service has been added for this customer yet. Add one."]
            return ["Choose at least one service."]
        return [
            f"{service.name} has no app the wizard can create in {mode.value} mode. Your "
            "organization can add one in a catalog override."
            for service in self.services()
            if not self.apps_for(service.id, mode := self.mode_of(service.id))
        ]

    def _customer_aos_services(self) -> tuple[str, ...]:
        customer = self.state.customer
        have = customer.aos_service_ids if customer is not None else ()
        return (*have, *(s for s in self.state.added_aos_services if s not in have))

    def _set_services(self, ids: tuple[str, ...]) -> None:
        self.state.service_ids = ids
        self.state.modes = {
            s: self.state.modes.get(s, self.mode_choices(self.catalog.service(s))[0]) for s in ids
        }
        self._rebuild()

    # -- step 3: setup method ----------------------------------------------------------------

    def mode_choices(self, service: Service) -> tuple[SetupMode, ...]:
        """The modes step 3 offers for *service*, default first. AOS: modern only."""
        if service.family is ServiceFamily.AOS:
            return (SetupMode.MODERN,)
        modes = tuple(m for m in service.setup_modes if m is not SetupMode.CLASSIC)
        return modes or (SetupMode.MODERN,)

    def set_mode(self, service_id: str, mode: SetupMode) -> None:
        service = self._service(service_id)
        if service_id not in self.state.service_ids:
            raise UserError(f"{service.name} is not chosen in this run.")
        if mode not in self.mode_choices(service):
            raise UserError(
                f"{service.name} cannot be set up in {mode.value} mode.",
                remedy="Custom app profiles exist for Baseline management only; "
                "AOS services use modern mode.",
            )
        self.state.modes[service_id] = mode
        self._rebuild()

    def mode_of(self, service_id: str) -> SetupMode:
        return self.state.modes.get(service_id, SetupMode.MODERN)

    @property
    def uses_custom_mode(self) -> bool:
        return SetupMode.CUSTOM in self.state.modes.values()

    def set_custom_details(
        self,
        *,
        profile_name: str | None = None,
        application_id: str | None = None,
        certificate_summary: str | None = None,
        certificate_ready: bool | None = None,
        roles_confirmed: bool | None = None,
    ) -> None:
        """Record what the technician typed for a custom app profile."""
        custom = self.state.custom
        if profile_name is not None:
            custom.profile_name = profile_name
        if application_id is not None:
            if normalize_guid(application_id) != normalize_guid(custom.application_id):
                self._custom_app_changed()
            custom.application_id = application_id
        if certificate_summary is not None:
            custom.certificate_summary = certificate_summary
        if certificate_ready is not None:
            custom.certificate_ready = certificate_ready
        if roles_confirmed is not None:
            custom.roles_confirmed = roles_confirmed

    def custom_roles(self) -> list[RoleItem]:
        """Roles the custom app needs before authorization (seed 002, Baseline management)."""
        return [r for r in self.state.roles if r.before_authorization]

    def _setup_blockers(self) -> list[str]:
        if not self.uses_custom_mode:
            return []
        custom, out = self.state.custom, []
        if not custom.profile_name.strip():
            out.append("Enter a name for the custom app profile.")
        if not custom.application_id.strip():
            out.append("Enter the application ID of the customer's app.")
        elif normalize_guid(custom.application_id) is None:
            out.append(
                "The application ID must be a GUID, like 00000000-0000-0000-0000-000000000000."
            )
        if not custom.certificate_ready:
            out.append("Choose the app's certificate file (.pfx) and enter its password.")
        if not self.custom_roles_done():
            out.append(
                "Assign the required roles to the custom app (Assign now), or confirm that "
                "they are assigned."
            )
        return out

    def custom_roles_done(self) -> bool:
        """The custom app's roles are assigned: verified by Assign now, or confirmed by hand."""
        roles = self.custom_roles()
        return (
            not roles
            or self.state.custom.roles_confirmed
            or all(r.state is RoleState.ASSIGNED for r in roles)
        )

    # -- rebuilding rows and roles -----------------------------------------------------------

    def apps_for(self, service_id: str, mode: SetupMode) -> list[AppType]:
        """The apps the wizard creates profiles for: creatable app types of *mode*."""
        return [
            app
            for app in self.catalog.apps_for_service(service_id)
            if app.creatable and mode in app.modes
        ]

    def _rebuild(self) -> None:
        """Recompute the consent rows and role items; keep what is known about kept apps."""
        wanted: dict[str, tuple[AppType, SetupMode, list[str]]] = {}
        for service in self.services():
            mode = self.mode_of(service.id)
            for app in self.apps_for(service.id, mode):
                # The four "Other premium services" share one app: one row per app.
                entry = wanted.setdefault(app.id, (app, mode, []))
                entry[2].append(service.id)
        old = {(r.app_id, r.mode): r for r in self.state.rows}
        rows: list[ConsentRow] = []
        for app, mode, service_ids in wanted.values():
            row = old.get((app.id, mode)) or ConsentRow(app=app, mode=mode, service_ids=())
            row.service_ids = tuple(service_ids)
            rows.append(row)
        self.state.rows = rows
        old_roles = {r.key: r for r in self.state.roles}
        roles: list[RoleItem] = []
        for row in rows:
            for role in row.app.directory_roles:
                assignment = role.assignment_in(row.mode)
                kept = old_roles.get((row.app_id, role.name))
                if kept is not None and kept.assignment is assignment:
                    roles.append(kept)
                    continue
                automatic = assignment is RoleAssignment.AUTOMATIC
                roles.append(
                    RoleItem(
                        app=row.app,
                        role=role,
                        assignment=assignment,
                        before_authorization=row.mode is SetupMode.CUSTOM and not automatic,
                        state=RoleState.AUTOMATIC if automatic else RoleState.TO_ASSIGN,
                    )
                )
        self.state.roles = roles


def family_label(family: ServiceFamily) -> str:
    return {
        ServiceFamily.PREMIUM: "Elements premium services",
        ServiceFamily.AOS: "AOS services",
    }[family]
