"""The profile list's expiry badges: read through the store once per certificate, then from
the public dates kept in the data folder, with no secret opened again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.paths import data_paths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.secrets.expiry import ExpiryState, list_hint
from desktop.core.secrets.expiry_dates import FILE_NAME, DatesFile, list_expiries
from desktop.core.secrets.store import NotSharedYetError
from desktop.core.storage.interface import Repository
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import MemoryKeyring


class CountingStore:
    """The real store, counting how often a certificate is opened (and able to refuse)."""

    def __init__(self, store: SecretStore) -> None:
        self.store = store
        self.opened: list[str] = []
        self.refuse = False

    def info(self, ref: str):  # type: ignore[no-untyped-def]
        self.opened.append(ref)
        if self.refuse:
            raise NotSharedYetError()
        return self.store.info(ref)


def _holders(data_home: Path, store: SecretStore, days: dict[str, int]):  # type: ignore[no-untyped-def]
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    for name, valid in days.items():
        ref = store.store(create_self_signed(CertificateRequest(name, days=valid)))
        store.settle(ref)
        add_profile(inv, name, customer.id, CONTOSO_TID, certificate_ref=ref,
                    mode=SetupMode.CUSTOM)  # fmt: skip
    add_profile(inv, "Contoso No Cert", customer.id, CONTOSO_TID, mode=SetupMode.CUSTOM)
    return inv.profiles.certificate_holders()


def test_each_certificate_is_opened_once_then_read_from_its_public_dates(
    data_home: Path,
) -> None:
    paths = data_paths().ensure()
    real = open_secret_store(paths, MemoryKeyring())
    holders = _holders(data_home, real, {"Contoso Soon": 10, "Contoso Long": 200})
    store = CountingStore(real)
    dates = DatesFile(paths.root)
    first = list_expiries(holders, store, dates)  # type: ignore[arg-type]
    assert len(store.opened) == 2
    by_name = {i.profile: i for i in first.values()}
    assert set(by_name) == {"Contoso Soon", "Contoso Long"}  # no certificate: no badge
    soon = by_name["Contoso Soon"]
    assert soon.state is ExpiryState.EXPIRES_SOON and soon.days_left in (9, 10)
    assert list_hint(soon) == f"certificate expires in {soon.days_left} days"
    assert list_hint(by_name["Contoso Long"]) == ""
    saved = json.loads((paths.root / FILE_NAME).read_text())
    assert set(saved) == {ref for _, ref in holders if ref}
    assert all(set(v) == {"not_before", "not_after", "thumbprint_sha1"} for v in saved.values())
    assert "PRIVATE" not in (paths.root / FILE_NAME).read_text()

    store.opened.clear()
    store.refuse = True  # the store is not asked again: a locked keyring changes nothing
    later = datetime.now(UTC) + timedelta(days=11)
    again = list_expiries(holders, store, dates, now=later)  # type: ignore[arg-type]
    assert store.opened == []
    expired = next(i for i in again.values() if i.profile == "Contoso Soon")
    assert expired.state is ExpiryState.EXPIRED and list_hint(expired) == "certificate expired"
    assert expired.thumbprint_sha1 == soon.thumbprint_sha1


def test_an_unreadable_certificate_gets_no_badge_and_is_asked_again_next_time(
    data_home: Path,
) -> None:
    paths = data_paths().ensure()
    real = open_secret_store(paths, MemoryKeyring())
    holders = _holders(data_home, real, {"Contoso Soon": 10})
    store = CountingStore(real)
    store.refuse = True
    dates = DatesFile(paths.root)
    assert list_expiries(holders, store, dates) == {}  # type: ignore[arg-type]
    store.refuse = False
    assert len(list_expiries(holders, store, dates)) == 1  # type: ignore[arg-type]
    assert len(store.opened) == 2


def test_a_damaged_dates_file_is_read_again_from_the_store(data_home: Path) -> None:
    paths = data_paths().ensure()
    real = open_secret_store(paths, MemoryKeyring())
    holders = _holders(data_home, real, {"Contoso Soon": 10})
    (paths.root / FILE_NAME).write_text("{not json")
    store = CountingStore(real)
    found = list_expiries(holders, store, DatesFile(paths.root))  # type: ignore[arg-type]
    assert len(found) == 1 and len(store.opened) == 1
    assert json.loads((paths.root / FILE_NAME).read_text())  # rewritten whole


def test_dates_of_certificates_no_profile_holds_are_dropped(data_home: Path) -> None:
    paths = data_paths().ensure()
    real = open_secret_store(paths, MemoryKeyring())
    holders = _holders(data_home, real, {"Contoso Soon": 10, "Contoso Long": 200})
    dates = DatesFile(paths.root)
    list_expiries(holders, real, dates)
    kept = [h for h in holders if h[0].name != "Contoso Long"]
    list_expiries(kept, real, dates)
    assert set(dates.read()) == {ref for _, ref in kept if ref}


def test_the_list_expiry_reads_the_same_on_sqlite_and_postgresql(
    repository: Repository, data_home: Path
) -> None:
    paths = data_paths().ensure()
    store = open_secret_store(paths, MemoryKeyring())
    inv = Inventory(repository)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    ref = store.store(create_self_signed(CertificateRequest("Contoso Soon", days=10)))
    store.settle(ref)
    saved = add_profile(inv, "Contoso Soon", customer.id, CONTOSO_TID, certificate_ref=ref,
                        mode=SetupMode.CUSTOM)  # fmt: skip
    add_profile(inv, "Contoso Modern", customer.id, CONTOSO_TID, mode=SetupMode.MODERN)
    found = list_expiries(inv.profiles.certificate_holders(), store, DatesFile(paths.root))
    assert saved.id is not None and list(found) == [saved.id]
    assert list_hint(found[saved.id]).startswith("certificate expires in")


def test_the_store_is_opened_only_for_dates_not_known_yet_and_only_once(
    data_home: Path,
) -> None:
    paths = data_paths().ensure()
    real = open_secret_store(paths, MemoryKeyring())
    holders = _holders(data_home, real, {"Contoso Soon": 10, "Contoso Long": 200})
    dates = DatesFile(paths.root)
    opened: list[int] = []

    def open_store() -> SecretStore:
        opened.append(1)
        return real

    assert len(list_expiries(holders, open_store, dates)) == 2
    assert opened == [1]
    assert len(list_expiries(holders, open_store, dates)) == 2
    assert opened == [1]  # every date known: no keyring, no team database asked

    (paths.root / FILE_NAME).unlink()

    def locked() -> SecretStore:
        opened.append(2)
        raise UserError("The keyring is locked.")

    assert list_expiries(holders, locked, dates) == {}
    assert opened == [1, 2]  # refused once, not once per certificate
