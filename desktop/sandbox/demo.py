"""Demo contents for the sandbox: two Global customer tenants, the MSP's partner tenant (Northwind
MSP, where the sign-in app is registered, with a technician who works in Contoso through a
GDAP relationship) and one tenant in each national cloud,
their accounts (an administrator, and Megan Bowen, who is not one), the sign-in app and
publisher apps for catalog app types in every cloud (national clouds need their own
registrations, so their client IDs differ), and a customer-owned app in Contoso to practise
custom mode with. Used by ``python -m desktop.sandbox``, ``app-profiles --sandbox`` and the
tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.core.catalog.model import AppType, SetupMode
from desktop.sandbox.directory import stable_id
from desktop.sandbox.server import Sandbox

CONTOSO_ID = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"
FABRIKAM_ID = "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e"
CONTOSO = "contoso.onmicrosoft.com"
FABRIKAM = "fabrikam.onmicrosoft.com"
SIGN_IN_CLIENT_ID = "0c1b2a39-4d5e-4f60-8a7b-9c0d1e2f3a4b"
ADMIN = f"admin@{CONTOSO}"
USER = f"megan@{CONTOSO}"
OTHER_ADMIN = f"admin@{FABRIKAM}"
#: The MSP's own (partner) tenant, where the sign-in app is registered, and its technician,
#: who works in Contoso through a GDAP relationship.
PARTNER_ID = "2e7d4c1a-8b3f-4d6e-a5c9-7f1b0e2d3c4a"
PARTNER = "northwindmsp.onmicrosoft.com"
TECHNICIAN = f"tech@{PARTNER}"
#: The roles the demo relationship gives in Contoso: enough to connect it and consent.
GDAP_ROLES = ("Cloud Application Administrator", "Privileged Role Administrator")


#: The customer-owned app registration in Contoso, for custom mode (its certificate is
#: uploaded on the sandbox's app registrations page, as in the Entra admin center).
CUSTOM_APP_ID = "c0570000-0000-4000-8000-00000000c0de"
CUSTOM_APP_NAME = "Contoso's own app (custom mode)"


@dataclass(frozen=True)
class CloudTenant:
    """The demo tenant of one national cloud and its administrator."""

    cloud: str
    tenant_id: str
    domain: str
    admin: str


#: One demo tenant per national cloud (GCC High, DoD, China).
NATIONAL_TENANTS = (
    CloudTenant(
        "usgov",
        "3c1d2b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "contosogov.onmicrosoft.us",
        "admin@contosogov.onmicrosoft.us",
    ),
    CloudTenant(
        "usgov-dod",
        "4d2e3c5b-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
        "contosodod.onmicrosoft.us",
        "admin@contosodod.onmicrosoft.us",
    ),
    CloudTenant(
        "china",
        "5e3f4d6c-7a8b-4c9d-8e1f-2a3b4c5d6e7f",
        "contosocn.partner.onmschina.cn",
        "admin@contosocn.partner.onmschina.cn",
    ),
)


def publisher_client_id(app_type_id: str, cloud: str = "global") -> str:
    """The sandbox's client ID for an app type's publisher app in *cloud* (stable)."""
    if cloud == "global":
        return stable_id("publisher", app_type_id)
    return stable_id("publisher", cloud, app_type_id)


def sign_in_client_id(cloud: str = "global") -> str:
    """The sandbox's sign-in app client ID in *cloud* (each cloud registers its own)."""
    return SIGN_IN_CLIENT_ID if cloud == "global" else stable_id("sign-in", cloud)


@dataclass
class Demo:
    """What :func:`populate` created."""

    tenant_id: str = CONTOSO_ID
    domain: str = CONTOSO
    other_tenant_id: str = FABRIKAM_ID
    other_domain: str = FABRIKAM
    admin: str = ADMIN
    user: str = USER
    other_admin: str = OTHER_ADMIN
    sign_in_client_id: str = SIGN_IN_CLIENT_ID
    client_ids: dict[str, str] = field(default_factory=dict)  # app type id -> client ID
    #: National clouds: their tenants, sign-in app and publisher client IDs (by cloud).
    national: tuple[CloudTenant, ...] = NATIONAL_TENANTS
    cloud_sign_in_client_ids: dict[str, str] = field(default_factory=dict)
    cloud_client_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    custom_app_id: str = CUSTOM_APP_ID
    partner_tenant_id: str = PARTNER_ID
    partner_domain: str = PARTNER
    technician: str = TECHNICIAN
    #: The GDAP relationship Northwind MSP → Contoso (change its roles with set_gdap_roles).
    gdap_relationship_id: str = ""


def populate(sandbox: Sandbox, app_types: Iterable[AppType] = ()) -> Demo:
    """Add the demo tenants, accounts, sign-in app and a publisher app per app type."""
    s = sandbox.scenario
    s.add_tenant(CONTOSO, "Contoso", CONTOSO_ID)
    s.add_tenant(FABRIKAM, "Fabrikam", FABRIKAM_ID)
    s.add_user(CONTOSO, ADMIN, admin=True, name="Contoso Admin")
    s.add_user(CONTOSO, USER, admin=False, name="Megan Bowen")
    s.add_user(FABRIKAM, OTHER_ADMIN, admin=True, name="Fabrikam Admin")
    for national in NATIONAL_TENANTS:
        s.add_tenant(national.domain, "", national.tenant_id, national.cloud)
        s.add_user(national.domain, national.admin, admin=True, name="Contoso Admin")
    demo = Demo()
    for cloud in ("global", *(n.cloud for n in NATIONAL_TENANTS)):
        s.register_app(
            sign_in_client_id(cloud),
            "App Profile Manager (technician sign-in)",
            delegated={"Microsoft Graph": set(_SIGN_IN_SCOPES)},
            public_client=True,  # Mobile and desktop: http://localhost
            cloud=cloud,
        )
        if cloud != "global":
            demo.cloud_sign_in_client_ids[cloud] = sign_in_client_id(cloud)
    s.add_tenant(PARTNER, "Northwind MSP", PARTNER_ID)
    s.add_partner(PARTNER, TECHNICIAN, SIGN_IN_CLIENT_ID)
    demo.gdap_relationship_id = s.add_gdap_relationship(PARTNER, CONTOSO, list(GDAP_ROLES))
    app_types = tuple(app_types)
    for app_type in app_types:
        client_id = app_type.client_id or publisher_client_id(app_type.id)
        s.register_app_type(app_type, client_id)
        demo.client_ids[app_type.id] = client_id.lower()
        for national in NATIONAL_TENANTS:
            own = publisher_client_id(app_type.id, national.cloud)
            s.register_app_type(app_type, own, cloud=national.cloud)
            demo.cloud_client_ids.setdefault(national.cloud, {})[app_type.id] = own
    _register_custom_app(sandbox, app_types)
    s.set_browser_user(ADMIN)
    return demo


_SIGN_IN_SCOPES = (
    "User.Read",
    "Application.Read.All",
    "DelegatedPermissionGrant.Read.All",
    "RoleManagement.Read.Directory",
    # A user consent's grant names the user by object ID.
    "User.ReadBasic.All",
    # "Assign now" writes directory role assignments.
    "RoleManagement.ReadWrite.Directory",
    # The tenant look-up reads the customer's display name.
    "CrossTenantInformation.ReadBasic.All",
)


def _register_custom_app(sandbox: Sandbox, app_types: tuple[AppType, ...]) -> None:
    """Contoso's own single-tenant app for custom mode, asking for what the first app type
    with a custom mode needs; no certificate until one is uploaded."""
    custom = next((a for a in app_types if SetupMode.CUSTOM in a.modes), None)
    if custom is None:
        sandbox.scenario.register_app(CUSTOM_APP_ID, CUSTOM_APP_NAME, home_tenant=CONTOSO_ID)
        return
    sandbox.scenario.register_app_type(
        custom, CUSTOM_APP_ID, home_tenant=CONTOSO_ID, public_redirect_uris=[]
    )
    sandbox.directory.apps[CUSTOM_APP_ID].display_name = CUSTOM_APP_NAME
