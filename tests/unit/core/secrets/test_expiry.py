"""The certificate expiry view: every custom profile's certificate, read through the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.paths import data_paths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.secrets.expiry import ExpiryState, certificate_expiries, within
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import MemoryKeyring


def _custom(store: SecretStore, home: Path, days: dict[str, int]) -> None:
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    for name, valid_days in days.items():
        ref = store.store(create_self_signed(CertificateRequest(name, days=valid_days)))
        store.settle(ref)
        add_profile(inv, name, customer.id, CONTOSO_TID, certificate_ref=ref,
                    mode=SetupMode.CUSTOM)  # fmt: skip
    add_profile(inv, "Contoso Modern", customer.id, CONTOSO_TID, mode=SetupMode.MODERN)
    add_profile(inv, "Contoso No Cert", customer.id, CONTOSO_TID, mode=SetupMode.CUSTOM)


def test_lists_custom_profiles_soonest_first_with_the_30_day_warning(data_home: Path) -> None:
    store = open_secret_store(data_paths().ensure(), MemoryKeyring())
    _custom(store, data_home, {"Contoso Long": 200, "Contoso Soon": 10})
    holders = open_inventory(data_home).profiles.certificate_holders()
    items = certificate_expiries(holders, store)
    assert [(i.profile, i.state) for i in items] == [
        ("Contoso Soon", ExpiryState.EXPIRES_SOON),
        ("Contoso Long", ExpiryState.OK),
        ("Contoso No Cert", ExpiryState.MISSING),  # listed, never silently left out
    ]
    assert items[0].days_left in (9, 10) and "expires in" in items[0].note
    assert [i.needs_attention for i in items] == [True, False, True]
    assert [i.profile for i in within(items, 5)] == ["Contoso No Cert"]
    assert [i.profile for i in within(items, 30)] == ["Contoso Soon", "Contoso No Cert"]


def test_a_certificate_past_its_end_is_expired(data_home: Path) -> None:
    store = open_secret_store(data_paths().ensure(), MemoryKeyring())
    _custom(store, data_home, {"Contoso Soon": 10})
    holders = open_inventory(data_home).profiles.certificate_holders("Contoso")
    later = datetime.now(UTC) + timedelta(days=11)
    first = certificate_expiries(holders, store, now=later)[0]
    assert first.state is ExpiryState.EXPIRED and first.days_left is not None
    assert first.days_left < 0
    assert first.to_json()["state"] == "expired"
