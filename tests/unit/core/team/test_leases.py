"""Leases on a real team database: one holder at a time, told in words, renewed while held,
expired by themselves, broken only by an admin (and audited)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from desktop.core.errors import UserError
from desktop.core.store.postgres import leases as lease_rows
from desktop.core.store.postgres.connection import connect
from desktop.core.team.leases import Lease, LeaseHeldError, describe
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated


class Team:
    def __init__(self, db: TestDatabase) -> None:
        migrated(db)
        self.db = db
        self.bob, self.bob_url = member(db, "bob", "technician")
        self.alice, self.alice_url = member(db, "alice", "technician")
        self.rita, self.rita_url = member(db, "rita", "readonly")
        self.ada, self.ada_url = member(db, "ada", "admin")

    def lease(self, url: str, operation: str = "reauthorize", seconds: int = 60) -> Lease:
        return Lease(
            lambda: connect(url),
            "profile",
            7,
            operation,
            label="Contoso Baseline",
            seconds=seconds,
        )


@pytest.fixture
def team(postgres_db: TestDatabase) -> Team:
    return Team(postgres_db)


def test_a_held_lease_names_its_holder_and_blocks_the_same_profile(team: Team) -> None:
    with team.lease(team.bob_url):
        with pytest.raises(LeaseHeldError) as refused, team.lease(team.alice_url, "delete"):
            pass
        line = refused.value.one_line()
        since = refused.value.row.since.astimezone().strftime("%H:%M")
        assert line.startswith(f"{team.bob} is re-authorizing Contoso Baseline (since {since}).")
    with team.lease(team.alice_url, "delete"):  # released: free again
        pass


def test_a_lease_is_renewed_while_held_and_expires_when_its_holder_is_gone(team: Team) -> None:
    with team.lease(team.bob_url, seconds=2):
        time.sleep(3)  # longer than its lifetime: only renewals keep it
        with pytest.raises(LeaseHeldError), team.lease(team.alice_url):
            pass
    crashed = connect(team.bob_url)  # a holder that never renews (its laptop died)
    lease_rows.take(
        crashed, "profile", "7", "consent", label="", seconds=1, customer_id=None, token=_uuid()
    )
    crashed.close()
    time.sleep(1.5)
    with team.lease(team.alice_url) as mine:
        assert not mine.lost.is_set()


def test_readonly_cannot_take_and_only_an_admin_breaks(team: Team) -> None:
    with pytest.raises(UserError, match="read-only"), team.lease(team.rita_url):
        pass
    with team.lease(team.bob_url, seconds=3) as held:
        technician = connect(team.alice_url)
        with pytest.raises(UserError, match="Only your team's admin"):
            lease_rows.break_(technician, "profile", "7")
        technician.close()
        admin = connect(team.ada_url)
        broken = lease_rows.break_(admin, "profile", "7")
        assert broken is not None and broken.holder == team.bob
        assert lease_rows.current(admin) == []
        admin.close()
        assert held.lost.wait(5)  # the holder's next renewal finds it gone
    owner = connect(team.db.owner_url)
    rows = owner.execute(
        "SELECT actor, detail FROM apm.audit WHERE entity = 'lease' AND change = 'broken'"
    ).fetchall()
    owner.close()
    assert len(rows) == 1 and rows[0][0] == team.ada
    detail = rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1])
    assert detail["holder"] == team.bob and detail["operation"] == "reauthorize"


def test_describe_gives_the_date_when_not_today() -> None:
    row = lease_rows.LeaseRow(
        "profile", "7", "delete", "", "bob", "t", datetime(2026, 1, 2, 14, 2, tzinfo=UTC),
        datetime(2026, 1, 2, 14, 4, tzinfo=UTC), None,
    )  # fmt: skip
    text = describe(row, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert text.startswith("bob is deleting profile 7 (since ") and "Jan" in text


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())
