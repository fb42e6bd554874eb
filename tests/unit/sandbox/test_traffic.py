"""The sandbox counts every identity-platform and Graph request by kind, and can delay them all."""

from __future__ import annotations

import time

import requests

from desktop.sandbox.demo import CONTOSO_ID
from desktop.sandbox.traffic import Traffic, kind_of
from tests.helpers.sandbox import RunningSandbox


def test_kinds_follow_the_path() -> None:
    assert kind_of("GET", "/common/discovery/instance") == "instance_discovery"
    assert kind_of("GET", f"/{CONTOSO_ID}/v2.0/.well-known/openid-configuration") == (
        "openid_configuration"
    )
    assert kind_of("POST", f"/{CONTOSO_ID}/oauth2/v2.0/token") == "token"
    assert kind_of("GET", "/v1.0/servicePrincipals") == "graph"
    assert kind_of("POST", "/v1.0/$batch") == "graph_batch"


def test_counts_reset_and_total() -> None:
    traffic = Traffic()
    traffic.record("POST", "/t/oauth2/v2.0/token")
    traffic.record("GET", "/v1.0/servicePrincipals")
    traffic.record("GET", "/v1.0/oauth2PermissionGrants")
    assert traffic.counts() == {"token": 1, "graph": 2, "total": 3}
    traffic.reset()
    assert traffic.counts() == {"total": 0}


def test_the_server_counts_each_request_and_delays_every_route(sandbox: RunningSandbox) -> None:
    sb = sandbox.sandbox
    assert sb.ca_path is not None
    traffic_url = f"{sb.authority_host}/_sandbox/traffic"
    with requests.Session() as http:
        http.verify = str(sb.ca_path)
        assert http.post(traffic_url, json={"latency": 0.2, "reset": True}).ok
        http.get(f"{sb.authority_host}/{CONTOSO_ID}/v2.0/.well-known/openid-configuration")
        started = time.monotonic()
        http.get(f"{sb.graph_host}/v1.0/servicePrincipals")  # no token: 401, still counted
        delayed = time.monotonic() - started
        http.post(f"{sb.authority_host}/{CONTOSO_ID}/oauth2/v2.0/token", data={})
        counts = http.get(traffic_url).json()["counts"]
        http.post(traffic_url, json={"latency": 0})
    assert counts == {"openid_configuration": 1, "graph": 1, "token": 1, "total": 3}
    assert delayed >= 0.2  # the latency is a floor, not a measured timing


def test_every_clouds_sign_in_and_graph_hosts_are_counted(sandbox: RunningSandbox) -> None:
    sb = sandbox.sandbox
    assert sb.ca_path is not None
    clouds = ("global", "usgov", "usgov-dod", "china")
    with requests.Session() as http:
        http.verify = str(sb.ca_path)
        sb.traffic.reset()
        for cloud in clouds:
            authority, graph_host = sb.hosts(cloud)
            http.get(f"{graph_host}/v1.0/organization")  # no token: 401, still counted
            http.post(f"{authority}/organizations/oauth2/v2.0/token", data={})
        # The traffic endpoint answers on any cloud's host, with the one shared count.
        counts = http.get(f"{sb.hosts('china')[0]}/_sandbox/traffic").json()["counts"]
    assert counts == {"graph": 4, "token": 4, "total": 8}
