"""The profile checks controller: recording an event and loading a profile to re-authorize
run on a worker against the real store, and each result reaches its own signal."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.profile_checks import ProfileChecksController, ReauthorizeParts
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import Catalog
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.service import CheckService
from desktop.core.demo import seed_demo
from desktop.core.errors import UserError
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.storage.types import ProfileRow
from tests.helpers.check_fakes import FakeConsentEngine, FakeCredentials, ScriptedGateway
from tests.helpers.inventory import shipped_catalog


def _service(inventory: Inventory, catalog: Catalog) -> CheckService:
    everything = frozenset({"x"})
    gateway = ScriptedGateway(
        app={"roles": []}, grants=Grants(True, everything, everything, everything)
    )
    checker = ProfileChecker(catalog, gateway, FakeCredentials(), client_id_for=lambda a: "c1")
    return CheckService(InventoryCheckStore(inventory), checker)


@pytest.fixture
def setup(data_home: Path) -> tuple[Inventory, Catalog]:
    catalog = shipped_catalog()
    inventory = Inventory.open(DataPaths(data_home).ensure())
    seed_demo(inventory.store, catalog, customers=2, profiles=8)
    return inventory, catalog


def _row(inventory: Inventory, catalog: Catalog, *, delegated: bool) -> ProfileRow:
    return next(
        r
        for r in inventory.profiles.all_rows()
        if catalog.app_type(r.app_type_id).has_delegated_permissions is delegated
    )


def test_a_recorded_event_marks_the_profile_and_says_how_many(
    qtbot: QtBot, runner: TaskRunner, setup: tuple[Inventory, Catalog]
) -> None:
    inventory, catalog = setup
    controller = ProfileChecksController(runner, catalog, lambda: _service(inventory, catalog))
    row = _row(inventory, catalog, delegated=True)
    with qtbot.waitSignal(controller.recorded, timeout=10_000) as done:
        controller.record_event([row.id], "user_left")
    ids, count, words = done.args  # type: ignore[misc]
    assert (ids, count) == ([row.id], 1) and words
    after = next(r for r in inventory.profiles.all_rows() if r.id == row.id)
    assert after.status == "Invalid" and "re-authorization required" in after.reason.lower()


def test_an_event_that_cannot_apply_fails_to_its_own_signal_and_marks_nothing(
    qtbot: QtBot, runner: TaskRunner, setup: tuple[Inventory, Catalog]
) -> None:
    inventory, catalog = setup
    controller = ProfileChecksController(runner, catalog, lambda: _service(inventory, catalog))
    row = _row(inventory, catalog, delegated=False)
    recorded: list[object] = []
    controller.recorded.connect(lambda *a: recorded.append(a))
    with qtbot.waitSignal(controller.record_failed, timeout=10_000) as failed:
        controller.record_event([row.id], "user_left")
    (error,) = failed.args  # type: ignore[misc]
    assert isinstance(error, UserError) and row.name in error.message
    assert recorded == []
    after = next(r for r in inventory.profiles.all_rows() if r.id == row.id)
    assert (after.status, after.reason) == (row.status, row.reason)


def test_loading_for_reauthorize_brings_the_target_and_the_parts_built_off_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner, setup: tuple[Inventory, Catalog]
) -> None:
    inventory, catalog = setup
    built: list[ReauthorizeParts] = []

    def parts() -> ReauthorizeParts:
        service = _service(inventory, catalog)
        built.append(ReauthorizeParts(service, InventoryCheckStore(inventory), FakeConsentEngine()))  # type: ignore[arg-type]
        return built[-1]

    controller = ProfileChecksController(
        runner, catalog, lambda: _service(inventory, catalog), parts
    )
    assert controller.can_reauthorize
    row = _row(inventory, catalog, delegated=True)
    with qtbot.waitSignal(controller.reauthorize_ready, timeout=10_000) as ready:
        controller.load_for_reauthorize(row.id)
    target, given = ready.args  # type: ignore[misc]
    assert target.profile.id == row.id and target.profile.name == row.name
    assert built == [given]


def test_a_failure_while_loading_for_reauthorize_reaches_its_own_signal(
    qtbot: QtBot, runner: TaskRunner, setup: tuple[Inventory, Catalog]
) -> None:
    inventory, catalog = setup

    def parts() -> ReauthorizeParts:
        raise UserError("The store is locked.", remedy="Close the other window.")

    controller = ProfileChecksController(
        runner, catalog, lambda: _service(inventory, catalog), parts
    )
    with qtbot.waitSignal(controller.reauthorize_failed, timeout=10_000) as failed:
        controller.load_for_reauthorize(1)
    (error,) = failed.args  # type: ignore[misc]
    assert isinstance(error, UserError) and error.message == "The store is locked."


def test_without_reauthorize_parts_the_controller_says_it_cannot(
    runner: TaskRunner, setup: tuple[Inventory, Catalog]
) -> None:
    inventory, catalog = setup
    controller = ProfileChecksController(runner, catalog, lambda: _service(inventory, catalog))
    assert not controller.can_reauthorize and not controller.checks_built
    with pytest.raises(RuntimeError):
        controller.load_for_reauthorize(1)
