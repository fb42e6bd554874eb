"""The wizard's real backend reads the organization's Settings (client IDs, landing page)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import Tenant
from desktop.core.paths import DataPaths
from desktop.core.services import CoreServices
from desktop.core.settings import Settings
from desktop.core.wizard.backend import WizardBackend
from desktop.core.wizard.ports import ConsentRequest
from tests.helpers.keyrings import MemoryKeyring

TENANT = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"
CLIENT = "11111111-2222-4333-8444-555555555555"


@pytest.mark.parametrize(
    ("landing", "expected"),
    [
        ("", "http://localhost/consent"),
        ("https://msp.example.net/ok", "https://msp.example.net/ok"),
    ],
)
def test_consent_link_uses_the_landing_page_from_settings(
    data_home: Path, monkeypatch: pytest.MonkeyPatch, landing: str, expected: str
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", MemoryKeyring)
    paths = DataPaths(data_home).ensure()
    Settings(consent_link_redirect_uri=landing).save(paths.settings)
    catalog = load_shipped()
    backend = WizardBackend(CoreServices(paths, catalog))
    app = catalog.app_type("apelements-automation")
    link = backend.consent_link(ConsentRequest(Tenant(TENANT, 1), app, CLIENT))
    assert parse_qs(urlsplit(link).query)["redirect_uri"] == [expected]
    custom = ConsentRequest(Tenant(TENANT, 1), app, CLIENT, mode=SetupMode.CUSTOM)
    assert "localhost" in backend.consent_link(custom)
