"""The prepared profile list: filter, narrowing, sort, counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from desktop.core.inventory.listing import COLUMNS, ListFilter, ProfileList, counts_text
from tests.helpers.inventory import shipped_catalog, small_inventory


def _list(data_home: Path) -> ProfileList:
    return ProfileList(small_inventory(data_home).profiles.rows(), shipped_catalog())


def test_text_filter_searches_every_column(data_home: Path) -> None:
    profiles = _list(data_home)
    order = profiles.sorted_order(0)
    names = lambda idx: [profiles.rows[i].name for i in idx]  # noqa: E731
    assert names(profiles.filter(order, ListFilter(text="FABRIKAM"))) == [
        "Fabrikam Backup",
        "Fabrikam Classic",
    ]
    assert names(profiles.filter(order, ListFilter(text="revoked"))) == ["Fabrikam Backup"]
    assert names(profiles.filter(order, ListFilter(text="72f988bf"))) == [
        "Contoso Baseline",
        "Contoso Nitro",
    ]
    assert names(profiles.filter(order, ListFilter(status="Expired"))) == ["Contoso Baseline"]
    assert names(profiles.filter(order, ListFilter(customer="Contoso", text="SIGN-IN"))) == [
        "Contoso Baseline"
    ]
    service = profiles.rows[order[0]].services[0]
    assert order[0] in profiles.filter(order, ListFilter(service=service))
    assert profiles.filter(order, ListFilter(text="no such thing")) == []


def test_narrowing() -> None:
    assert ListFilter(text="cont").narrows(ListFilter(text="con"))
    assert not ListFilter(text="con").narrows(ListFilter(text="cont"))
    assert not ListFilter(text="cont", status="Valid").narrows(ListFilter(text="con"))


def test_sort_by_every_column(data_home: Path) -> None:
    profiles = _list(data_home)
    for column in range(len(COLUMNS)):
        key = profiles.sort_key(column)
        order = profiles.sorted_order(column)
        assert sorted(order) == list(range(len(profiles)))
        assert [key(i) for i in order] == sorted(key(i) for i in order)
        backwards = profiles.sorted_order(column, descending=True)
        assert [key(i) for i in backwards] == sorted((key(i) for i in order), reverse=True)
    by_status = [profiles.rows[i].status for i in profiles.sorted_order(COLUMNS.index("Status"))]
    assert by_status == ["Invalid", "Expired", "Unknown", "Valid"]


def test_counts_text() -> None:
    counts = Counter({"Invalid": 12, "Expired": 3, "Valid": 204})
    assert counts_text(counts, 219, 219) == "219 app profiles: 12 Invalid · 3 Expired · 204 Valid"
    assert (
        counts_text(counts, 219, 1000)
        == "Showing 219 of 1,000 app profiles: 12 Invalid · 3 Expired · 204 Valid"
    )
    assert counts_text(Counter(), 0, 1000) == "Showing 0 of 1,000 app profiles"
    assert counts_text(Counter({"Unknown": 1}), 1, 1) == "1 app profile: 1 Unknown"
    assert counts_text(Counter(), 0, 0) == "No app profiles"


def test_delete_blockers_per_row(data_home: Path) -> None:
    profiles = _list(data_home)
    blocked = [profiles.rows[i].name for i in range(len(profiles)) if profiles.delete_blocker(i)]
    assert blocked == ["Fabrikam Classic"]


def test_rows_share_repeated_texts(data_home: Path) -> None:
    """A big list holds one copy of each customer, tenant, status and reason text."""
    inv = small_inventory(data_home)
    for rows in (inv.profiles.all_rows(), inv.profiles.rows()):
        contoso = [r for r in rows if r.customer == "Contoso"]
        assert len(contoso) == 2
        first, second = contoso
        for field in ("customer", "tenant_id", "tenant_domain", "app_type_id", "mode", "services"):
            assert getattr(first, field) is getattr(second, field), field


def test_a_new_check_result_is_found_by_the_search(data_home: Path) -> None:
    profiles = _list(data_home)
    order = profiles.sorted_order(0)
    nitro = next(i for i in order if profiles.rows[i].name == "Contoso Nitro")
    revoked = ListFilter(text="revoked")
    assert nitro not in profiles.filter(order, revoked)
    profiles.update_status(nitro, "Invalid", "The consent was revoked.", "2026-03-01T00:00:00Z")
    assert profiles.rows[nitro].status == "Invalid"
    assert nitro in profiles.filter(order, revoked)
    assert nitro in profiles.filter(order, ListFilter(text="invalid"))
    assert nitro not in profiles.filter(order, ListFilter(text="valid", status="Valid"))


def test_rows_added_replaced_and_removed_search_and_sort_like_a_fresh_list(
    data_home: Path,
) -> None:
    rows = small_inventory(data_home).profiles.rows()
    catalog = shipped_catalog()
    grown = ProfileList(rows[:2], catalog)
    for row in rows[2:]:
        grown.append(row)
    fresh = ProfileList(rows, catalog)
    for text in ("contoso", "fabrikam", "expired", "nitro", "zz"):
        wanted = ListFilter(text=text)
        assert grown.filter(range(len(rows)), wanted) == fresh.filter(range(len(rows)), wanted)
    assert grown.sorted_order(6) == fresh.sorted_order(6)
    assert grown.customer_names == fresh.customer_names
    grown.replace(0, rows[0]._replace(reason="Zanzibar", customer="Adatum"))
    assert grown.filter(range(len(rows)), ListFilter(text="zanzibar")) == [0]
    assert grown.customer_names[0] == "Adatum"
    where = grown.remove({0, 2})
    assert where[:3] == [-1, 0, -1] and len(grown) == len(rows) - 2
    assert [r.id for r in grown.rows] == [
        r.id for r in rows if r.id not in {rows[0].id, rows[2].id}
    ]
    assert grown.index_of(rows[1].id) == 0 and grown.index_of(rows[0].id) == -1


def test_a_deferred_consent_s_first_valid_check_shows_as_its_consent_time(
    data_home: Path,
) -> None:
    profiles = _list(data_home)
    deferred = 0
    profiles.rows[deferred] = profiles.rows[deferred]._replace(consented_at=None)
    profiles.update_status(deferred, "Invalid", "Not granted yet.", "2026-03-01T00:00:00Z")
    assert profiles.rows[deferred].consented_at is None  # only a Valid check proves it
    profiles.update_status(deferred, "Valid", "Granted.", "2026-03-02T00:00:00Z")
    assert profiles.rows[deferred].consented_at == "2026-03-02T00:00:00Z"  # as the store has it
    profiles.update_status(deferred, "Valid", "Granted.", "2026-03-03T00:00:00Z")
    assert profiles.rows[deferred].consented_at == "2026-03-02T00:00:00Z"
