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
        inventory = Inventory.open(DataPaths(root))
        assert [c.name for c in inventory.customers.list()] == [DEMO_CUSTOMER]
        assert inventory.profiles.status_counts() == {
            "Valid": 1, "Invalid": 1, "Expired": 1, "Unknown": 1,
        }  # fmt: skip
        with pytest.raises(UserError, match="empty data folder") as caught:
            prepare_data_folder(root, sandbox, demo, catalog)
        assert "already exists" in caught.value.one_line()
