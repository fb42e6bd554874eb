"""Benchmark what the change feed saves: one changed profile re-read vs the whole list.

Seeds N profiles (default 100,000) into a throwaway data folder, then, in this process and in
the same run, times:

- a full reload: read every list row and prepare the list (what every write cost before);
- a precise update: read one changed row by id and put it in place (what a write costs now);
- ``get_many`` of 5,000 ids (one query) against 5,000 single ``get`` s;

and prints each pair's ratio. Run from the repository root:
``python benchmarks/bench_change_feed.py [--profiles 100000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.catalog.loader import load_catalog  # noqa: E402
from desktop.core.demo import seed_demo  # noqa: E402
from desktop.core.inventory.listing import ProfileList, read_all  # noqa: E402
from desktop.core.paths import DataPaths  # noqa: E402
from desktop.core.store import Store  # noqa: E402


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    catalog = load_catalog().catalog
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(DataPaths(Path(folder)).ensure())
        seed_demo(store, catalog, customers=args.customers, profiles=args.profiles)
        listed = ProfileList(read_all(store), catalog)
        some = listed.rows[len(listed.rows) // 2].id

        def full() -> None:
            ProfileList(read_all(store), catalog).sorted_order(0)

        def precise() -> None:
            with store.reading() as uow:
                (row,) = uow.profiles.rows_by_id([some])
            listed.replace(listed.index_of(some), row)

        ids = [r.id for r in listed.rows[:5_000]]

        def many() -> None:
            with store.reading() as uow:
                uow.profiles.get_many(ids)

        def singles() -> None:
            with store.reading() as uow:
                for i in ids:
                    uow.profiles.get(i)

        full_s = _median(full, args.runs)
        precise_s = _median(precise, args.runs * 20)
        many_s = _median(many, args.runs)
        singles_s = _median(singles, args.runs)
    print(f"profiles: {len(listed.rows):,}")
    print(f"full reload: {full_s * 1000:.1f} ms; one changed row: {precise_s * 1000:.2f} ms")
    print(f"  ratio full / precise: {full_s / precise_s:,.0f}x")
    print(f"get_many(5,000): {many_s * 1000:.1f} ms; 5,000 x get: {singles_s * 1000:.1f} ms")
    print(f"  ratio singles / get_many: {singles_s / many_s:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
