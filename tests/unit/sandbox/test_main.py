"""``python -m desktop.sandbox`` tells a person everything needed to point the app at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.sandbox.__main__ import describe, main
from desktop.sandbox.demo import populate
from desktop.sandbox.server import Sandbox


def test_without_a_data_folder_every_client_id_is_printed(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        demo = populate(sandbox, load_shipped().app_types)
        text = "\n".join(describe(sandbox, demo, sandbox.env()))
    assert demo.client_ids, "the demo registered no publisher apps"
    for app_type_id, client_id in demo.client_ids.items():
        assert f"  {app_type_id} = {client_id}" in text
    assert demo.sign_in_client_id in text
    assert f"export REQUESTS_CA_BUNDLE={sandbox.ca_path}" in text
    assert demo.other_domain in text and "--data-folder" in text


def test_with_a_prepared_data_folder_the_tip_is_left_out(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        demo = populate(sandbox, ())
        lines = describe(sandbox, demo, sandbox.env(), prepared=True)
    assert not any("--data-folder" in line for line in lines)
    assert not any("Publisher client IDs" in line for line in lines)  # none registered


def test_every_cloud_s_hosts_tenant_and_sign_in_app_are_printed(tmp_path: Path) -> None:
    with Sandbox(tmp_path) as sandbox:
        demo = populate(sandbox, ())
        text = "\n".join(describe(sandbox, demo, sandbox.env()))
        dod_authority, dod_graph = sandbox.hosts("usgov-dod")
    assert f"export APP_PROFILES_AUTHORITY_HOST_USGOV_DOD={dod_authority}" in text
    assert f"export APP_PROFILES_GRAPH_HOST_USGOV_DOD={dod_graph}" in text
    for national in demo.national:
        assert national.domain in text
        assert demo.cloud_sign_in_client_ids[national.cloud] in text
    assert demo.custom_app_id in text and sandbox.portal_url in text
    assert "not an admin" in text


def test_an_unknown_variant_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--variants", "v1_tokens,upper_guid"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "unknown variants ['upper_guid']" in err and "upper_guids" in err
