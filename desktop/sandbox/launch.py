"""``app-profiles --sandbox``: run the app against an in-process sandbox.

:func:`prepare_sandbox_environment` starts the sandbox with the demo tenants, makes a throwaway
data folder with a demo customer, its tenant, a demo profile in each status and the sandbox's
client IDs in Settings, points the environment at it, and returns a cleanup that undoes all
of it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from desktop.core.catalog.loader import load_catalog
from desktop.core.catalog.model import Catalog, ConsentMethod, SetupMode
from desktop.core.domain import AppProfile, Cloud, Status, utc_now
from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.paths import HOME_ENV, data_paths
from desktop.core.settings import Settings
from desktop.sandbox.demo import CUSTOM_APP_NAME, USER, Demo, populate
from desktop.sandbox.server import Sandbox

log = logging.getLogger(__name__)

DEMO_CUSTOMER = "Contoso (sandbox)"
#: Seconds a new consent takes to show in ``app-profiles --sandbox`` (Graph's replication).
SANDBOX_REPLICATION_DELAY_S = 3.0


def load_catalog_or_none() -> Catalog | None:
    try:
        return load_catalog().catalog
    except Exception:  # the sandbox still runs with no publisher apps
        log.warning("sandbox: the catalog could not be loaded", exc_info=True)
        return None


@dataclass(frozen=True)
class _DemoProfile:
    """A demo profile whose status matches what the sandbox tenant really holds."""

    name: str
    service_id: str
    app_type_id: str
    status: Status
    reason: str
    remedy: str = ""
    method: ConsentMethod = ConsentMethod.ADMIN
    user: str = ""
    granted: bool = True  # the consent is granted in the sandbox tenant
    revoked: bool = False  # ... and then revoked there


DEMO_PROFILES = (
    _DemoProfile(
        "Contoso Nitro",
        "nitro",
        "apelements-automation",
        Status.VALID,
        "All {count} required permissions are granted.",
    ),
    _DemoProfile(
        "Contoso Baseline",
        "baseline-management",
        "apelements-baseline-management",
        Status.INVALID,
        "The consent was revoked in the tenant (an administrator removed the app's permissions).",
        "Re-authorize the profile with admin consent.",
        revoked=True,
    ),
    _DemoProfile(
        "Contoso Cloud Backup (delegated)",
        "cloud-backup-m365",
        "cloud-backup-m365-delegated-app",
        Status.EXPIRED,
        "The consenting user's sign-in expired after a long time without use.",
        "Re-authorize the profile with user consent (Megan Bowen signs in again).",
        method=ConsentMethod.USER,
        user=USER,
    ),
    _DemoProfile(
        "Contoso Security and Analysis",
        "other-premium-services",
        "apelements-security-and-analysis",
        Status.UNKNOWN,
        "Not checked yet.",
    ),
)


def _seed_inventory(root: Path, demo: Demo, sandbox: Sandbox, catalog: Catalog | None) -> None:
    """Add the demo customer, its tenant and demo profiles (one per status) to the store."""
    inventory = Inventory.open(data_paths(root).ensure())
    customer = inventory.customers.add(DEMO_CUSTOMER, notes=demo_notes(demo, sandbox))
    inventory.tenants.add(
        DEMO_CUSTOMER,
        domain=demo.domain,
        tenant_id=demo.tenant_id,
        cloud=Cloud.GLOBAL,
        display_name="Contoso",
    )
    for national in demo.national:
        cloud = Cloud(national.cloud)
        inventory.tenants.add(
            DEMO_CUSTOMER,
            domain=national.domain,
            tenant_id=national.tenant_id,
            cloud=cloud,
            display_name=f"Contoso ({cloud.label})",
        )
    if catalog is None or customer.id is None:
        return
    inventory.customers.set_aos_services(DEMO_CUSTOMER, ("cloud-backup-m365",), catalog)
    now = utc_now()
    for number, item in enumerate(DEMO_PROFILES):
        try:
            app = catalog.app_type(item.app_type_id)
        except KeyError:  # an override replaced the shipped app types
            continue
        client_id = demo.client_ids.get(app.id, "")
        if client_id and item.granted:
            sandbox.scenario.grant_admin_consent(demo.tenant_id, client_id)
            if item.revoked:
                sandbox.scenario.revoke_consent(demo.tenant_id, client_id)
        consented = now - timedelta(days=30 + 20 * number)
        inventory.profiles.add(
            AppProfile(
                name=item.name,
                customer_id=customer.id,
                tenant_id=demo.tenant_id,
                service_ids=(item.service_id,),
                app_type_id=app.id,
                mode=SetupMode.MODERN,
                status=item.status,
                reason=item.reason.format(count=len(app.permissions)),
                remedy=item.remedy,
                consent_method=item.method,
                consenting_user=item.user,
                consented_at=consented if item.granted else None,
                last_checked=None if item.status is Status.UNKNOWN else now - timedelta(hours=2),
                created_at=consented,
            ),
            consented=item.granted,
        )


def demo_notes(demo: Demo, sandbox: Sandbox) -> str:
    """The demo customer's notes: what a technician can try in the sandbox."""
    return (
        "Demo customer of the sandbox. Accounts: "
        f"{demo.admin} (administrator), {demo.user} (not an administrator: try user consent). "
        f"Custom mode: the customer-owned app “{CUSTOM_APP_NAME}”, application ID "
        f"{demo.custom_app_id}. Make a certificate (Certificates → Create), upload its .cer at "
        f"{sandbox.portal_url} as the customer's administrator would in the Entra admin "
        "center, then choose the .pfx in custom mode. Each national cloud has a tenant of its "
        "own with its own app registrations."
    )


def prepare_sandbox_environment() -> tuple[Demo, Callable[[], None]]:
    """Start the sandbox and point this process at it; returns the demo and a cleanup."""
    folder = Path(tempfile.mkdtemp(prefix="app-profiles-sandbox-"))
    sandbox = Sandbox(folder / "idp").start()
    catalog = load_catalog_or_none()
    demo = populate(sandbox, catalog.app_types if catalog else ())
    root = folder / "data"
    env = {**sandbox.env(), HOME_ENV: str(root)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)

    def cleanup() -> None:
        sandbox.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)

    try:
        prepare_data_folder(root, sandbox, demo, catalog)
    except UserError:
        cleanup()
        raise
    # Like Entra, a consent given from now on takes a moment to show (the demo's are set).
    sandbox.scenario.set_replication_delay(SANDBOX_REPLICATION_DELAY_S)
    return demo, cleanup


def prepare_data_folder(root: Path, sandbox: Sandbox, demo: Demo, catalog: Catalog | None) -> None:
    """Point the data folder *root* at the sandbox's apps (Settings) and add the demo data.

    Raises :class:`UserError` when the store refuses (e.g. the demo customer already exists).
    """
    try:
        paths = data_paths(root).ensure()
        Settings(
            sign_in_client_id=demo.sign_in_client_id,
            client_ids=dict(demo.client_ids),
            cloud_sign_in_client_ids=dict(demo.cloud_sign_in_client_ids),
            cloud_client_ids={k: dict(v) for k, v in demo.cloud_client_ids.items()},
        ).save(paths.settings)
        _seed_inventory(root, demo, sandbox, catalog)
    except Exception as exc:
        log.warning("sandbox: the demo data could not be added", exc_info=True)
        cause = exc.message if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
        raise UserError(
            f"The sandbox's demo data could not be created ({cause.rstrip('.')}).",
            remedy="Use an empty data folder for the sandbox.",
        ) from exc
