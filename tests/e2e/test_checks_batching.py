"""A bulk check reads each tenant once, with Graph JSON batching, as the sandbox counts it:
P publisher profiles in one tenant cost at most 2 + ⌈3P/20⌉ Graph round trips and one token
request, a second run within the hour no token request; throttled inner requests are sent
again after their Retry-After; long lists are paged inside batches; app role names come from
the per-cloud cache on disk, refreshed for an unknown ID, and an ID still unknown is named;
every cloud's Graph host answers the batches."""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path

import pytest

from desktop.core.catalog.model import (
    AppType,
    Catalog,
    DirectoryRole,
    PermissionType,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
)
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.checks.name_map import NameMapCache
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckService, Target
from desktop.core.domain import AppProfile, Cloud, Status
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.services import assemble_check_service
from desktop.sandbox.directory import AppRoleAssignment
from tests.helpers.browser import StandInBrowser
from tests.helpers.catalog_factory import app_type, perm
from tests.helpers.check_fakes import SHAREPOINT_APP_ID, MemoryCheckStore, profile
from tests.helpers.identity_fakes import BASELINE
from tests.helpers.identity_fakes import catalog as identity_catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e

GRAPH = "Microsoft Graph"
ROLE = "Exchange Administrator"
APPLICATION = {GRAPH: {"User.Read.All", "Sites.Read.All", "Group.Read.All"}}


def _catalog(count: int) -> Catalog:
    exchange = DirectoryRole(ROLE, {SetupMode.MODERN: RoleAssignment.AUTOMATIC})
    permissions = tuple(
        perm(GRAPH, name, "", PermissionType.APPLICATION) for name in sorted(APPLICATION[GRAPH])
    )
    types: list[AppType] = [
        app_type(f"pub-{i}", f"Publisher {i}", ("backup",), permissions=permissions,
                 directory_roles=(exchange,))
        for i in range(count)
    ]  # fmt: skip
    service = Service("backup", "Backup", ServiceFamily.AOS, tuple(t.id for t in types))
    return Catalog("batching", (service,), tuple(types))


def _client_id(i: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"batching-publisher-{i}"))


class _Run:
    """P consented publisher apps in the demo tenant, the technician signed in there."""

    def __init__(
        self,
        sb: RunningSandbox,
        count: int,
        names: Path,
        application: dict[str, set[str]] | None = None,
    ) -> None:
        self.sb = sb
        self.count = count
        self.names_folder = names
        self.catalog = _catalog(count)
        granted = application or APPLICATION
        for i in range(count):
            sb.scenario.register_app(_client_id(i), f"Publisher {i}", application=granted)
            for tenant in (sb.demo.tenant_id, sb.demo.other_tenant_id):
                sb.scenario.grant_admin_consent(tenant, _client_id(i))
                sb.scenario.assign_directory_role(tenant, _client_id(i), ROLE)
        self.cache = MemoryTokenCacheStore()
        for tenant, upn in (
            (sb.demo.tenant_id, sb.demo.admin),
            (sb.demo.other_tenant_id, sb.demo.other_admin),
        ):
            TechnicianSession(
                sb.demo.sign_in_client_id,
                self.cache,
                open_browser=StandInBrowser(sb.sandbox.ca_path, upn=upn),
            ).sign_in(endpoints_for(), tenant, login_hint=upn, timeout=30)

    def profiles(self, tenants: tuple[str, ...]) -> list[AppProfile]:
        return [
            profile(f"pub-{i}", id=n * self.count + i + 1, tenant=tenant)
            for n, tenant in enumerate(tenants)
            for i in range(self.count)
        ]

    def service(self, profiles: list[AppProfile]) -> tuple[CheckService, MemoryCheckStore]:
        """A run's service, built as the app builds it (only the store is a stand-in)."""
        store = MemoryCheckStore(profiles)
        clients = {f"pub-{i}": _client_id(i) for i in range(self.count)}
        service = assemble_check_service(
            store,  # type: ignore[arg-type]
            self.catalog,
            None,  # type: ignore[arg-type]
            technician=TechnicianSession(self.sb.demo.sign_in_client_id, self.cache),
            client_id_for=lambda app: clients.get(app.id),
            names=NameMapCache(self.names_folder),
        )
        return service, store

    def check(self, tenants: tuple[str, ...] | None = None) -> tuple[BulkOutcome, dict[str, int]]:
        service, _ = self.service(self.profiles(tenants or (self.sb.demo.tenant_id,)))
        self.sb.sandbox.traffic.reset()
        outcome = service.check(None)
        return outcome, self.sb.sandbox.traffic.counts()


@pytest.fixture
def run(sandbox: RunningSandbox, tmp_path: Path) -> _Run:
    return _Run(sandbox, 8, tmp_path / "graph-names")


def _statuses(outcome: BulkOutcome) -> list[Status]:
    return [r.status for r in outcome.results]


def _graph_trips(counts: dict[str, int]) -> int:
    return counts.get("graph", 0) + counts.get("graph_batch", 0)


def test_p_profiles_in_one_tenant_cost_at_most_2_plus_3p_over_20_graph_round_trips(
    run: _Run,
) -> None:
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count, [r.reason for r in outcome.results]
    assert _graph_trips(counts) <= 2 + math.ceil(3 * run.count / 20), counts
    assert counts.get("graph", 0) == 0, counts  # every Graph read went in a batch
    assert counts.get("token", 0) <= 1, counts
    assert outcome.requests == counts["total"]


def test_a_second_run_within_the_hour_makes_no_token_request(run: _Run) -> None:
    run.check()
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count
    assert counts.get("token", 0) == 0, counts


def test_a_missing_role_and_permission_are_still_found_per_profile(run: _Run) -> None:
    sb = run.sb
    sb.scenario.remove_roles(sb.demo.tenant_id, _client_id(2), ["Group.Read.All"])
    sb.scenario.revoke_consent(sb.demo.tenant_id, _client_id(5))
    outcome, _ = run.check()
    by_id = {r.id: r for r in outcome.results}
    assert by_id[3].status is Status.INVALID
    assert "Group.Read.All" in by_id[3].reason
    assert by_id[6].status is Status.INVALID
    assert {r.status for i, r in by_id.items() if i not in (3, 6)} == {Status.VALID}


def test_paged_lists_are_followed_inside_batches(run: _Run) -> None:
    run.sb.scenario.set_graph_page_size(1)  # every list needs as many pages as it has items
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count, [r.reason for r in outcome.results]
    assert counts.get("graph", 0) == 0, counts


def test_a_throttled_inner_request_is_sent_again_after_its_retry_after(run: _Run) -> None:
    sb = run.sb
    sb.scenario.throttle(sb.demo.tenant_id, retry_after=1, times=2, graph=True)
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count, [r.reason for r in outcome.results]
    assert outcome.throttled_seconds >= 1.0
    # The throttled requests went again in one more batch, not one round trip each.
    assert _graph_trips(counts) <= 3 + math.ceil(3 * run.count / 20), counts


def test_throttling_that_outlasts_the_retries_keeps_every_status(run: _Run) -> None:
    sb = run.sb
    sb.scenario.throttle(sb.demo.tenant_id, retry_after=200, graph=True)
    outcome, counts = run.check()
    assert len(outcome.results) == run.count
    assert all(r.transient for r in outcome.results)
    assert all(r.status is Status.UNKNOWN or r.status is Status.VALID for r in outcome.results)
    assert "throttling" in outcome.results[0].reason
    assert outcome.throttled_seconds == 0.0  # too long to wait: nothing was waited
    # The app stays held back: the tenant's other checks send nothing more to Graph.
    assert _graph_trips(counts) == 1, counts


def test_a_long_hold_asked_in_one_tenant_holds_back_the_app_in_the_others(run: _Run) -> None:
    demo = run.sb.demo
    run.sb.scenario.throttle(demo.tenant_id, retry_after=200, graph=True)
    service, _ = run.service(run.profiles((demo.tenant_id, demo.other_tenant_id)))
    run.sb.sandbox.traffic.reset()
    outcome = service.check(None, concurrency=1)  # the throttled tenant first
    assert all(r.transient and "throttling" in r.reason for r in outcome.results)
    assert _graph_trips(run.sb.sandbox.traffic.counts()) == 1  # the other tenant sent nothing


def test_two_tenants_each_cost_their_own_few_round_trips(run: _Run) -> None:
    demo = run.sb.demo
    outcome, counts = run.check((demo.tenant_id, demo.other_tenant_id))
    assert _statuses(outcome) == [Status.VALID] * 2 * run.count
    assert _graph_trips(counts) <= 2 * (2 + math.ceil(3 * run.count / 20)), counts


def _graph_names(run: _Run) -> dict[str, str]:
    data = json.loads((run.names_folder / "global.json").read_text())
    roles: dict[str, str] = data["apis"][GRAPH_APP_ID]["roles"]
    return roles


def test_app_role_names_are_kept_per_cloud_on_disk_without_secrets(run: _Run) -> None:
    run.check()
    roles = _graph_names(run)
    assert {"User.Read.All", "Sites.Read.All", "Group.Read.All"} <= set(roles.values())
    text = (run.names_folder / "global.json").read_text()
    assert "eyJ" not in text and "PRIVATE KEY" not in text  # no token, no key
    assert [p.name for p in run.names_folder.iterdir()] == ["global.json"]  # no temp files left


def test_a_role_id_missing_from_the_cached_names_refreshes_them(run: _Run) -> None:
    run.check()
    path = run.names_folder / "global.json"
    data = json.loads(path.read_text())
    roles = data["apis"][GRAPH_APP_ID]["roles"]
    dropped = next(k for k, v in roles.items() if v == "Group.Read.All")
    del roles[dropped]
    path.write_text(json.dumps(data))
    outcome, _ = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count, [r.reason for r in outcome.results]
    assert _graph_names(run)[dropped] == "Group.Read.All"


def test_a_role_id_still_unknown_after_a_refresh_is_named_in_the_reason(run: _Run) -> None:
    sb = run.sb
    directory = sb.sandbox.directory
    tenant = directory.tenants[sb.demo.tenant_id]
    client_sp = next(sp for sp in tenant.sps.values() if sp.app_id == _client_id(0))
    graph_sp = next(sp for sp in tenant.sps.values() if sp.app_id == GRAPH_APP_ID)
    stranger = str(uuid.uuid4())
    tenant.role_assignments.append(
        AppRoleAssignment(str(uuid.uuid4()), client_sp.id, graph_sp.id, stranger)
    )
    outcome, _ = run.check()
    first: CheckResult = next(r for r in outcome.results if r.id == 1)
    assert first.status is Status.VALID  # what is required is granted
    assert stranger in first.reason, first.reason
    assert "unknown" in first.reason.lower()


class _CloudStore:
    """The checks' store for profiles of one cloud's tenant (records nothing)."""

    def __init__(self, profiles: list[AppProfile], cloud: Cloud) -> None:
        self._targets = [Target(p, cloud) for p in profiles]

    def targets(self, ids: object) -> list[Target]:
        return list(self._targets)

    def record_result(self, result: CheckResult) -> None:
        pass

    def record_mark(self, profile_id: int, mark: object, detail: str) -> None:
        pass


@pytest.mark.parametrize("cloud", list(Cloud), ids=lambda c: c.value)
def test_each_cloud_s_graph_answers_the_batches(sandbox: RunningSandbox, cloud: Cloud) -> None:
    demo = sandbox.demo
    if cloud is Cloud.GLOBAL:
        tenant, admin = demo.tenant_id, demo.admin
        sign_in, publisher = demo.sign_in_client_id, demo.client_ids[BASELINE.id]
    else:
        national = next(n for n in demo.national if n.cloud == cloud.value)
        tenant, admin = national.tenant_id, national.admin
        sign_in = demo.cloud_sign_in_client_ids[cloud.value]
        publisher = demo.cloud_client_ids[cloud.value][BASELINE.id]
    sandbox.scenario.grant_admin_consent(tenant, publisher)
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=admin)
    TechnicianSession(sign_in, cache, browser, client_ids={cloud: sign_in}).sign_in(
        endpoints_for(cloud), tenant, login_hint=admin, timeout=30
    )
    profiles = [profile(BASELINE.id, id=1, tenant=tenant, mode=SetupMode.MODERN)]
    service = assemble_check_service(
        _CloudStore(profiles, cloud),
        identity_catalog(),
        None,  # type: ignore[arg-type]
        technician=TechnicianSession(sign_in, cache, client_ids={cloud: sign_in}),
        client_id_in=lambda app, in_cloud: publisher if in_cloud is cloud else None,
    )
    sandbox.sandbox.traffic.reset()
    outcome = service.check(None)
    assert [r.status for r in outcome.results] == [Status.VALID], outcome.results[0].reason
    counts = sandbox.sandbox.traffic.counts()
    assert counts.get("graph_batch", 0) >= 1 and counts.get("graph", 0) == 0, counts


def test_a_grant_on_an_api_not_in_the_resource_map_costs_one_round_trip_once(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    # SharePoint's grants: the first run learns the API (one more round trip, and its names on
    # disk); the next run finds it in its first batch.
    both = {**APPLICATION, "SharePoint": {"Sites.FullControl.All"}}
    run = _Run(sandbox, 4, tmp_path / "graph-names", application=both)
    fewest = 1 + math.ceil(3 * run.count / 20)  # the first batch, then 3 requests per app
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count, [r.reason for r in outcome.results]
    assert _graph_trips(counts) == fewest + 1, counts
    data = json.loads((run.names_folder / "global.json").read_text())
    assert "Sites.FullControl.All" in data["apis"][SHAREPOINT_APP_ID]["roles"].values()
    outcome, counts = run.check()
    assert _statuses(outcome) == [Status.VALID] * run.count
    assert _graph_trips(counts) == fewest, counts
