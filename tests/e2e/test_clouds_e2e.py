"""One end-to-end run per cloud (Global, GCC High, DoD, China) against the sandbox.

Each cloud has its own sign-in and Graph hosts and its own app registrations: the look-up,
the admin consent, the technician's sign-in and a Graph read must go to that cloud's hosts
with that cloud's client IDs, and a tenant or client ID of another cloud is refused in words.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.domain import Cloud
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.admin_consent import run_admin_consent
from desktop.core.identity.graph import GraphClient, GraphError
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.core.tenant_lookup import lookup_tenant, lookup_tenant_id
from tests.helpers.browser import StandInBrowser
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox
from tests.helpers.identity_fakes import BASELINE
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


class Where(NamedTuple):
    cloud: Cloud
    tenant_id: str
    domain: str
    admin: str
    sign_in_client_id: str
    publisher_client_id: str


def _where(sb: RunningSandbox, cloud: Cloud) -> Where:
    demo = sb.demo
    if cloud is Cloud.GLOBAL:
        return Where(
            cloud,
            demo.tenant_id,
            demo.domain,
            demo.admin,
            demo.sign_in_client_id,
            demo.client_ids[BASELINE.id],
        )
    national = next(n for n in demo.national if n.cloud == cloud.value)
    return Where(
        cloud,
        national.tenant_id,
        national.domain,
        national.admin,
        demo.cloud_sign_in_client_ids[cloud.value],
        demo.cloud_client_ids[cloud.value][BASELINE.id],
    )


def _technician(sb: RunningSandbox, browser: StandInBrowser) -> TechnicianSession:
    ids = {Cloud.GLOBAL: sb.demo.sign_in_client_id}
    ids.update({Cloud(c): i for c, i in sb.demo.cloud_sign_in_client_ids.items()})
    return TechnicianSession(
        sb.demo.sign_in_client_id, MemoryTokenCacheStore(), browser, client_ids=ids
    )


@pytest.mark.parametrize("cloud", list(Cloud), ids=lambda c: c.value)
def test_each_cloud_uses_its_own_hosts_and_client_ids(
    sandbox: RunningSandbox, cloud: Cloud
) -> None:
    where = _where(sandbox, cloud)
    authority, graph_host = sandbox.sandbox.hosts(cloud.value)
    endpoints = endpoints_for(cloud)
    assert (endpoints.authority_host, endpoints.graph_host) == (authority, graph_host)
    # The look-up reads the tenant's cloud from its OpenID configuration.
    assert lookup_tenant(where.domain, cloud) == (where.tenant_id, cloud)

    sandbox.scenario.set_browser_user(where.admin)
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=where.admin)
    granted = run_admin_consent(
        endpoints, where.tenant_id, where.publisher_client_id, open_browser=browser, timeout=30
    )
    assert granted.tenant_id == where.tenant_id
    assert browser.visited[0].startswith(f"{authority}/{where.tenant_id}/v2.0/adminconsent?")
    assert f"client_id={where.publisher_client_id}" in browser.visited[0]
    assert (
        f"scope={graph_host}/.default".replace(":", "%3A").replace("/", "%2F")
        in (browser.visited[0])
    )

    technician = _technician(sandbox, browser)
    signed = technician.sign_in(endpoints, where.tenant_id, timeout=30)
    assert signed.tenant_id == where.tenant_id and signed.username == where.admin
    assert f"client_id={where.sign_in_client_id}" in browser.visited[-1]
    token = technician.graph_token(endpoints, where.tenant_id)
    assert token is not None
    graph = GraphClient(endpoints, token)
    try:
        organization = graph.values("organization")
    finally:
        graph.close()
    assert organization[0]["id"] == where.tenant_id


@pytest.mark.parametrize(
    ("domain_of", "chosen", "words"),
    [
        (Cloud.USGOV, Cloud.GLOBAL, "is a US Government GCC High tenant, not a Global one"),
        (Cloud.USGOV_DOD, Cloud.USGOV, "is a US Government DoD tenant, not a US Government GCC"),
        (Cloud.GLOBAL, Cloud.USGOV_DOD, "is a Global tenant, not a US Government DoD one"),
        # China is operated apart: the worldwide sign-in host does not know its tenants.
        (Cloud.CHINA, Cloud.GLOBAL, "No Microsoft tenant uses the domain"),
    ],
    ids=["gcch-as-global", "dod-as-gcch", "global-as-dod", "china-as-global"],
)
def test_a_tenant_looked_up_in_the_wrong_cloud_is_refused_in_words(
    sandbox: RunningSandbox, domain_of: Cloud, chosen: Cloud, words: str
) -> None:
    where = _where(sandbox, domain_of)
    with pytest.raises(UserError) as caught:
        lookup_tenant_id(where.domain, chosen)
    assert words in caught.value.message


def test_a_global_client_id_is_unknown_in_a_national_cloud(sandbox: RunningSandbox) -> None:
    where = _where(sandbox, Cloud.USGOV)
    token = CancelToken()
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=where.admin, on_done=token.cancel)
    with pytest.raises(CancelledError):
        run_admin_consent(
            endpoints_for(Cloud.USGOV),
            where.tenant_id,
            sandbox.demo.client_ids[BASELINE.id],  # the Global registration
            open_browser=browser,
            timeout=30,
            cancel=token,
        )
    assert browser.last_response is not None and "AADSTS700016" in browser.last_response.text


def test_a_tenant_at_another_cloud_s_sign_in_host_is_not_found(sandbox: RunningSandbox) -> None:
    where = _where(sandbox, Cloud.CHINA)
    technician = _technician(sandbox, StandInBrowser(sandbox.sandbox.ca_path))
    with pytest.raises(UserError, match="does not accept the tenant"):
        technician.sign_in(endpoints_for(Cloud.GLOBAL), where.tenant_id, timeout=30)


def test_graph_of_one_cloud_refuses_another_cloud_s_token(sandbox: RunningSandbox) -> None:
    gcch, dod = _where(sandbox, Cloud.USGOV), _where(sandbox, Cloud.USGOV_DOD)
    sandbox.scenario.set_browser_user(gcch.admin)
    technician = _technician(sandbox, StandInBrowser(sandbox.sandbox.ca_path))
    technician.sign_in(endpoints_for(Cloud.USGOV), gcch.tenant_id, timeout=30)
    token = technician.graph_token(endpoints_for(Cloud.USGOV), gcch.tenant_id)
    assert token is not None and dod.tenant_id != gcch.tenant_id
    # GCC High and DoD share the sign-in host, not Graph: a GCC High token is no good at DoD.
    graph = GraphClient(endpoints_for(Cloud.USGOV_DOD), token)
    try:
        with pytest.raises(GraphError) as caught:
            graph.values("organization")
    finally:
        graph.close()
    assert caught.value.status == 401


def test_the_cli_adds_a_national_tenant_in_its_cloud_and_consents_there(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    gcch = next(n for n in box.demo.national if n.cloud == "usgov")
    add = ["tenants", "add", "--customer", CUSTOMER, "--domain", gcch.domain, "--lookup"]
    refused = box.cli(*add)  # the default cloud is Global
    assert refused.returncode == 2, refused.stderr
    assert "is a US Government GCC High tenant, not a Global one" in refused.stderr
    assert "(usgov)" in refused.stderr and "Traceback" not in refused.stderr
    added = box.cli(*add, "--cloud", "usgov", "--format", "json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["tenant_id"] == gcch.tenant_id
    # The organization set up GCC High's own registrations in Settings.
    paths = DataPaths(box.home)
    settings = Settings.load(paths.settings)
    settings.cloud_sign_in_client_ids = dict(box.demo.cloud_sign_in_client_ids)
    settings.cloud_client_ids = {k: dict(v) for k, v in box.demo.cloud_client_ids.items()}
    settings.save(paths.settings)
    consent = box.cli(
        "consent",
        "--customer",
        CUSTOMER,
        "--tenant",
        gcch.domain,
        "--service",
        "Baseline management",
        "--timeout",
        "30",
        "--format",
        "json",
        upn=gcch.admin,
    )
    assert consent.returncode == 0, consent.stderr
    visited = box.browser_log.read_text("utf-8")
    authority, _graph = box.sandbox.hosts("usgov")
    assert f"visited {authority}/{gcch.tenant_id}/v2.0/adminconsent?" in visited
    gcch_id = box.demo.cloud_client_ids["usgov"]["apelements-baseline-management"]
    assert f"client_id={gcch_id}" in visited
    assert box.demo.client_ids["apelements-baseline-management"] not in visited


def test_the_cli_signs_in_to_a_national_tenant_with_that_cloud_s_sign_in_app(
    cli_sandbox: CliSandbox,
) -> None:
    box = cli_sandbox
    dod = next(n for n in box.demo.national if n.cloud == "usgov-dod")
    box.sandbox.scenario.set_browser_user(dod.admin)
    argv = ("signin", "--tenant", dod.domain, "--cloud", "usgov-dod", "--timeout", "30")
    missing = box.cli(*argv)  # Settings hold only the Global registrations so far
    assert missing.returncode == 2
    assert "sign-in app in the US Government DoD cloud" in missing.stderr
    paths = DataPaths(box.home)
    settings = Settings.load(paths.settings)
    settings.cloud_sign_in_client_ids = dict(box.demo.cloud_sign_in_client_ids)
    settings.save(paths.settings)
    signed = box.cli(*argv, "--format", "json")
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout) == {"signed_in": dod.admin, "tenant_id": dod.tenant_id}
    authority, _graph = box.sandbox.hosts("usgov-dod")
    visited = box.browser_log.read_text("utf-8")
    assert f"client_id={box.demo.cloud_sign_in_client_ids['usgov-dod']}" in visited
    assert f"visited {box.sandbox.issuers['usgov'].pages_url}/" in visited
    assert authority == box.sandbox.issuers["usgov"].base_url
