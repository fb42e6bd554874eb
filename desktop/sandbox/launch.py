"""``app-profiles --sandbox``: run the app against an in-process sandbox.

:func:`prepare_sandbox_environment` starts the sandbox with the demo tenants, makes a throwaway
data folder with a demo customer and tenant and the sandbox's client IDs in Settings, points
the environment at it, and returns a cleanup that undoes all of it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop.core.catalog.model import AppType
from desktop.core.domain import Cloud
from desktop.core.paths import HOME_ENV, data_paths
from desktop.core.settings import Settings
from desktop.sandbox.demo import Demo, populate
from desktop.sandbox.server import Sandbox

log = logging.getLogger(__name__)

DEMO_CUSTOMER = "Contoso (sandbox)"


def _app_types() -> list[AppType]:
    try:
        from desktop.core.catalog.loader import load_catalog

        return list(load_catalog().catalog.app_types)
    except Exception:  # the sandbox still runs with no publisher apps
        log.warning("sandbox: the catalog could not be loaded", exc_info=True)
        return []


def _seed_inventory(root: Path, demo: Demo) -> None:
    """Add the demo customer and tenant through the inventory, when this build has one."""
    try:
        from desktop.core.inventory import Inventory
    except ImportError:
        return
    inventory = Inventory.open(data_paths(root).ensure())
    inventory.customers.add(DEMO_CUSTOMER, notes="Demo customer of the sandbox.")
    inventory.tenants.add(
        DEMO_CUSTOMER,
        domain=demo.domain,
        tenant_id=demo.tenant_id,
        cloud=Cloud.GLOBAL,
        display_name="Contoso",
    )


def prepare_sandbox_environment() -> tuple[Demo, Callable[[], None]]:
    """Start the sandbox and point this process at it; returns the demo and a cleanup."""
    folder = Path(tempfile.mkdtemp(prefix="app-profiles-sandbox-"))
    sandbox = Sandbox(folder / "idp").start()
    demo = populate(sandbox, _app_types())
    root = folder / "data"
    env = {**sandbox.env(), HOME_ENV: str(root)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    paths = data_paths(root).ensure()
    Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
        paths.settings
    )
    try:
        _seed_inventory(root, demo)
    except Exception:
        log.warning("sandbox: the demo customer could not be added", exc_info=True)

    def cleanup() -> None:
        sandbox.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)

    return demo, cleanup
