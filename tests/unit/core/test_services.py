"""The composition root builds each core service once, on first use, from the data folder; it
reads Settings again for each identity operation; and every front end's consent engine, check
service and wizard backend come from it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import keyring
import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.certificates import msal_client_credential
from desktop.core.identity.staged import StagedCertificates
from desktop.core.paths import DataPaths
from desktop.core.services import CoreServices
from desktop.core.settings import Settings
from desktop.core.vault import CertificateVault, open_vault
from tests.helpers.keyrings import MemoryKeyring

SIGN_IN_ID = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def paths(data_home: Path, monkeypatch: pytest.MonkeyPatch) -> DataPaths:
    monkeypatch.setattr(keyring, "get_keyring", MemoryKeyring)
    return DataPaths(data_home).ensure()


def test_nothing_is_opened_until_asked_for(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    assert services.opened_certificates() is None
    assert not paths.store.exists()


def test_one_store_and_one_inventory_whichever_thread_asks_first(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    seen: list[object] = []
    start = threading.Barrier(4)

    def ask() -> None:
        start.wait()
        seen.append(services.inventory())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(inventory) for inventory in seen}) == 1
    assert services.inventory().store is services.store()


def test_catalog_problems_reach_the_front_end_once(paths: DataPaths) -> None:
    paths.catalog_override.write_text("{not json", encoding="utf-8")
    problems: list[str] = []
    services = CoreServices(paths, on_catalog_problem=problems.append)
    assert services.catalog.app_types  # the shipped catalog, despite the bad override
    assert services.catalog is services.catalog
    assert len(problems) == 1
    assert str(paths.catalog_override.name) in problems[0]


def test_identity_reads_the_settings_as_they_are_now(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    assert services.signed_in_technician() is None  # no sign-in app: the vault is not opened
    engine = services.consent_engine()
    assert engine.technician is None  # consent works; verification waits for a check
    Settings(sign_in_client_id=SIGN_IN_ID).save(paths.settings)
    assert services.identity().sign_in_client_id() == SIGN_IN_ID
    technician = services.consent_engine().technician
    assert technician is not None and technician.client_id == SIGN_IN_ID


def test_consent_engine_holds_certificates_where_it_is_told(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    staged = StagedCertificates()
    engine = services.consent_engine(certificates=staged)
    assert engine.certificates is staged
    assert engine.credential_of is msal_client_credential
    assert services.consent_engine().credential_of is None  # nothing to turn into a credential


def test_the_vault_is_shared_and_can_be_replaced(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    vault = services.certificates()
    assert services.opened_certificates() is vault
    assert services.certificates() is vault
    other = CertificateVault(open_vault(paths, MemoryKeyring()))
    services.use_certificates(other)
    assert services.certificates() is other
    assert services.secret_remover().certificates is other


def test_check_service_and_reauthorization_work_over_the_same_inventory(
    paths: DataPaths,
) -> None:
    services = CoreServices(paths, load_shipped())
    inventory = services.inventory()
    inventory.customers.add("Contoso")
    service = services.check_service()
    assert service.check([]).results == []
    parts = services.reauthorization(timeout=7)
    assert parts.certificates is services.certificates()
    assert parts.engine.certificates is parts.certificates


def test_wizard_backend_reads_the_services_inventory(paths: DataPaths) -> None:
    inventory = CoreServices(paths).inventory()
    inventory.customers.add("Contoso")
    services = CoreServices(paths, load_shipped(), inventory=inventory)
    assert services.store() is inventory.store
    directory = services.wizard_backend().load_directory()
    assert [c.name for c in directory.customers] == ["Contoso"]


def test_a_client_id_in_settings_reaches_the_wizard_without_a_restart(paths: DataPaths) -> None:
    services = CoreServices(paths, load_shipped())
    backend = services.wizard_backend()
    assert backend.load_directory().client_ids == {}
    paths.settings.write_text(json.dumps({"client_ids": {"baseline": SIGN_IN_ID}}), "utf-8")
    assert backend.load_directory().client_ids == {"baseline": SIGN_IN_ID}
