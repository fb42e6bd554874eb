"""An open window on the team database follows another technician's changes within 2 s, and
catches up on one made while its live connection was gone."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.helpers.postgres import TestDatabase
from tests.helpers.team import listener_pids, member, terminate, write_in_other_process
from tests.helpers.team_window import TENANT, TeamWindow


def test_the_list_follows_another_process_on_the_team_database(
    qtbot: QtBot, postgres_db: TestDatabase, team_window: TeamWindow
) -> None:
    page, alice, cid = team_window.page, team_window.alice, team_window.customer_id
    _bob, bob_url = member(postgres_db, "bob", "technician")

    def names() -> set[str]:
        return {page.model.row_at(i).name for i in range(page.model.rowCount())}

    write_in_other_process(bob_url, "add-profile", "Fabrikam Nitro", str(cid), TENANT)
    qtbot.waitUntil(lambda: "Fabrikam Nitro" in names(), timeout=2000)

    postgres_db.cluster.sql([f"ALTER ROLE {alice} NOLOGIN"])
    terminate(postgres_db, listener_pids(postgres_db, alice))
    write_in_other_process(bob_url, "add-profile", "Northwind Backup", str(cid), TENANT)
    qtbot.wait(1000)
    assert "Northwind Backup" not in names()  # nothing can tell the window yet
    postgres_db.cluster.sql([f"ALTER ROLE {alice} LOGIN"])
    qtbot.waitUntil(lambda: "Northwind Backup" in names(), timeout=15_000)
