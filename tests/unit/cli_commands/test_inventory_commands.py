"""The inventory CLI end to end: real subprocesses on a real store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from tests.helpers.inventory import small_inventory

CONTOSO = "72f988bf-86f1-41af-91ab-2d7cd011db47"
Cli = Callable[..., CompletedProcess[str]]


def _json(result: CompletedProcess[str]) -> object:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_customers_and_tenants(cli: Cli) -> None:
    assert _json(cli("customers", "add", "Contoso", "--format", "json"))["name"] == "Contoso"  # type: ignore[index]
    assert cli("customers", "rename", "Contoso", "Contoso Ltd").returncode == 0
    added = _json(
        cli("tenants", "add", "--customer", "Contoso Ltd", "--id", CONTOSO.upper(),
            "--domain", "contoso.com", "--cloud", "usgov", "--format", "json")
    )  # fmt: skip
    assert added == {
        "tenant_id": CONTOSO,
        "domain": "contoso.com",
        "display_name": "",
        "cloud": "usgov",
        "customer": "Contoso Ltd",
    }
    cli("customers", "add", "Fabrikam")
    dup = cli("tenants", "add", "--customer", "Fabrikam", "--id", CONTOSO)
    assert dup.returncode == 2
    assert "belongs to Contoso Ltd" in dup.stderr and "Traceback" not in dup.stderr
    bad = cli("tenants", "add", "--customer", "Fabrikam", "--id", "nope")
    assert bad.returncode == 2 and "not a tenant ID" in bad.stderr
    customers = _json(cli("customers", "list", "--format", "json"))
    assert [(c["name"], c["tenants"]) for c in customers] == [("Contoso Ltd", 1), ("Fabrikam", 0)]  # type: ignore[index,union-attr]
    tenants = _json(cli("tenants", "list", "--customer", "Contoso Ltd", "--format", "json"))
    assert [t["tenant_id"] for t in tenants] == [CONTOSO]  # type: ignore[index,union-attr]
    assert cli("tenants", "remove", "contoso.com").returncode == 0  # no profiles: no question
    assert cli("customers", "remove", "Fabrikam", "--yes").returncode == 0


def test_demo_seed_list_show_delete(cli: Cli) -> None:
    seeded = _json(cli("demo", "seed", "--customers", "5", "--profiles", "120", "--format", "json"))
    assert seeded["profiles"] == 120  # type: ignore[index]
    rows = _json(cli("profiles", "list", "--format", "json"))
    assert isinstance(rows, list) and len(rows) == 120
    assert set(rows[0]) == {
        "id", "name", "customer", "tenant_id", "tenant_domain", "services", "app_type", "mode",
        "status", "reason", "last_checked",
    }  # fmt: skip
    invalid = _json(cli("profiles", "list", "--status", "invalid", "--format", "json"))
    assert invalid and all(r["status"] == "Invalid" for r in invalid)  # type: ignore[union-attr,index]
    one = rows[0]
    shown = _json(cli("profiles", "show", str(one["id"]), "--format", "json"))
    assert shown["name"] == one["name"] and shown["history"][0]["kind"] == "created"  # type: ignore[index]
    by_customer = _json(cli("profiles", "list", "--customer", one["customer"], "--format", "json"))
    assert {r["customer"] for r in by_customer} == {one["customer"]}  # type: ignore[union-attr,index]

    deletable = next(
        r for r in rows if r["mode"] == "modern" and r["app_type"].startswith("apelements")
    )
    unconfirmed = cli("profiles", "delete", str(deletable["id"]))
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    assert deletable["name"] in unconfirmed.stderr  # the confirmation names the profile
    done = _json(cli("profiles", "delete", str(deletable["id"]), "--yes", "--format", "json"))
    assert done == {"deleted": [deletable["id"]]}
    gone = cli("profiles", "show", str(deletable["id"]))
    assert gone.returncode == 2 and "no app profile" in gone.stderr

    classic = next(r for r in rows if r["app_type"] == "microsoft-365-all-permissions")
    refused = cli("profiles", "delete", str(classic["id"]), "--yes")
    assert refused.returncode == 2 and "cannot be deleted" in refused.stderr

    remove = cli("customers", "remove", one["customer"])  # asks first, or is refused
    assert remove.returncode == 2 and one["customer"] in remove.stderr
    assert one["customer"] in {
        c["name"] for c in _json(cli("customers", "list", "--format", "json"))
    }  # type: ignore[index,union-attr]


def test_tenant_lookup_offline_is_a_clear_error(cli: Cli) -> None:
    result = cli(
        "tenants", "lookup", "contoso.com",
        env={"APP_PROFILES_AUTHORITY_HOST": "http://127.0.0.1:9"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "by hand" in result.stderr and "Traceback" not in result.stderr


def test_removing_a_customer_with_profiles_this_app_cannot_delete_is_refused_in_words(
    cli: Cli, data_home: Path
) -> None:
    small_inventory(data_home)  # Fabrikam has a profile of an app type not created here
    refused = cli("customers", "remove", "Fabrikam")
    assert refused.returncode == 2
    # Refused outright (no "add --yes" question first), saying which profile and why.
    assert "--yes" not in refused.stderr
    assert "The customer Fabrikam was not removed" in refused.stderr
    assert "Fabrikam Classic" in refused.stderr and "Nothing was changed." in refused.stderr
    tenant = cli("tenants", "remove", "fabrikam.com", "--yes")
    assert tenant.returncode == 2 and "The tenant fabrikam.com was not removed" in tenant.stderr
    names = [c["name"] for c in _json(cli("customers", "list", "--format", "json"))]  # type: ignore[index,union-attr]
    assert names == ["Contoso", "Fabrikam"]


def test_a_rename_with_the_version_read_is_refused_after_a_colleagues_edit(cli: Cli) -> None:
    version = _json(cli("customers", "add", "Contoso", "--format", "json"))["version"]  # type: ignore[index]
    assert isinstance(version, int) and version >= 1
    # A colleague edits the notes after we read `version`.
    edited = _json(cli("customers", "notes", "Contoso", "theirs", "--format", "json"))
    assert edited["version"] == version + 1  # type: ignore[index]

    stale = cli("customers", "rename", "Contoso", "Mine", "--expected-version", str(version))
    assert stale.returncode == 2 and "Traceback" not in stale.stderr
    (line,) = stale.stderr.strip().splitlines()
    assert line.startswith("Contoso was changed by ") and "after you opened it" in line
    listed = _json(cli("customers", "list", "--format", "json"))
    assert [(c["name"], c["version"]) for c in listed] == [("Contoso", version + 1)]  # type: ignore[index,union-attr]

    fresh = cli("customers", "rename", "Contoso", "Mine", "--expected-version", str(version + 1))
    assert fresh.returncode == 0, fresh.stderr
