"""Demo contents for the sandbox: two tenants, their accounts, the sign-in app and publisher
apps for catalog app types. Used by ``python -m desktop.sandbox``, ``app-profiles --sandbox``
and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.core.catalog.model import AppType
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


def publisher_client_id(app_type_id: str) -> str:
    """The sandbox's client ID for an app type's publisher app (stable across runs)."""
    return stable_id("publisher", app_type_id)


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


def populate(sandbox: Sandbox, app_types: Iterable[AppType] = ()) -> Demo:
    """Add the demo tenants, accounts, sign-in app and a publisher app per app type."""
    s = sandbox.scenario
    s.add_tenant(CONTOSO, "Contoso", CONTOSO_ID)
    s.add_tenant(FABRIKAM, "Fabrikam", FABRIKAM_ID)
    s.add_user(CONTOSO, ADMIN, admin=True, name="Contoso Admin")
    s.add_user(CONTOSO, USER, admin=False, name="Megan Bowen")
    s.add_user(FABRIKAM, OTHER_ADMIN, admin=True, name="Fabrikam Admin")
    s.register_app(
        SIGN_IN_CLIENT_ID,
        "App Profile Manager (technician sign-in)",
        delegated={
            "Microsoft Graph": {
                "User.Read",
                "Application.Read.All",
                "DelegatedPermissionGrant.Read.All",
                "RoleManagement.Read.Directory",
                # A user consent's grant names the user by object ID.
                "User.ReadBasic.All",
                # "Assign now" writes directory role assignments.
                "RoleManagement.ReadWrite.Directory",
            }
        },
        public_client=True,
    )
    demo = Demo()
    for app_type in app_types:
        client_id = app_type.client_id or publisher_client_id(app_type.id)
        s.register_app_type(app_type, client_id)
        demo.client_ids[app_type.id] = client_id.lower()
    s.set_browser_user(ADMIN)
    return demo
