"""Preparing a data folder for the sandbox (``python -m desktop.sandbox --data-folder``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import populate
from desktop.sandbox.launch import DEMO_CUSTOMER, load_catalog_or_none, prepare_data_folder


def test_data_folder_gets_settings_and_demo_data_once(tmp_path: Path) -> None:
    catalog = load_catalog_or_none()
    assert catalog is not None
    root = tmp_path / "data"
    with Sandbox(tmp_path / "idp") as sandbox:
        demo = populate(sandbox, catalog.app_types)
        prepare_data_folder(root, sandbox, demo, catalog)
        settings = Settings.load(DataPaths(root).settings)
        assert settings.sign_in_client_id == demo.sign_in_client_id
        assert settings.client_ids == demo.client_ids
        # National clouds need their own registrations: their client IDs are their own.
        assert settings.cloud_sign_in_client_ids == demo.cloud_sign_in_client_ids
        assert set(settings.cloud_client_ids) == {"usgov", "usgov-dod", "china"}
        assert settings.cloud_client_ids["usgov"] != demo.client_ids
        inventory = Inventory.open(DataPaths(root))
        [customer] = inventory.customers.list()
        assert customer.name == DEMO_CUSTOMER
        # The notes say how to practise custom mode and user consent by a non-administrator.
        assert demo.custom_app_id in customer.notes and sandbox.portal_url in customer.notes
        assert f"{demo.user} (not an administrator" in customer.notes
        clouds = sorted(t.cloud.value for t, _ in inventory.tenants.list())
        assert clouds == ["china", "global", "usgov", "usgov-dod"]
        assert inventory.profiles.status_counts() == {
            "Valid": 1, "Invalid": 1, "Expired": 1, "Unknown": 1,
        }  # fmt: skip
        with pytest.raises(UserError, match="empty data folder") as caught:
            prepare_data_folder(root, sandbox, demo, catalog)
        assert "already exists" in caught.value.one_line()
