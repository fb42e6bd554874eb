"""Team mode: the profile list warns of a custom profile's certificate expiry from the team
database's public dates, also to a technician it is not shared with yet (no key opened)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.store import NotSharedYetError
from desktop.core.secrets.team import TeamSecretStore
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.team_secrets import TeamSecretsDb, install
from desktop.core.vault import SecretVault
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member
from tests.helpers.team_window import TENANT, TeamWindow

from desktop.ui.profiles.model import REASON_COLUMN


def test_a_colleagues_certificate_warns_before_it_is_shared(
    qtbot: QtBot, team_window: TeamWindow, postgres_db: TestDatabase, tmp_path: Path
) -> None:
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)  # team init: the secret tables' privileges
    bob, bob_url = member(postgres_db, "bob", "technician")
    vault = SecretVault(tmp_path / "bob" / "vault", MemoryKeyring(), id_file=tmp_path / "bob-id")
    keys = MemberKeys(vault)
    db = TeamSecretsDb(psycopg.connect(bob_url, autocommit=True))
    enrollment = keys.enroll()
    db.publish_key(enrollment.public_key, enrollment.fingerprint)
    customers: dict[str, int] = {}
    bobs = TeamSecretStore(db, keys, LocalSecretStore(vault), customers.get)
    ref = bobs.store(create_self_signed(CertificateRequest("contoso custom app", days=20)))
    customers[ref] = team_window.customer_id
    bobs.settle(ref)
    store = PostgresStore.open(bob_url)
    try:
        with store.unit_of_work() as uow:  # Bob's new profile reaches Alice's list live
            pid = uow.profiles.insert(
                profile("Contoso custom", team_window.customer_id, TENANT, mode=SetupMode.CUSTOM,
                        custom_app_id="4d3c2b1a-0000-4000-8000-00000000c0de",
                        certificate_ref=ref)
            )  # fmt: skip
    finally:
        store.close()
    db.close()
    page = team_window.page
    qtbot.waitUntil(lambda: bool(page.model.badges.text(pid)), timeout=20_000)
    text = page.model.index(page.model.row_of_profile(pid), REASON_COLUMN).data()
    assert str(text).startswith("Certificate expires in 19 days") or str(text).startswith(
        "Certificate expires in 20 days"
    )
    with pytest.raises(NotSharedYetError):  # the hint came from the public dates alone
        team_window.ctx.services.certificates().info(ref)
    assert bob != team_window.alice
