"""Benchmark keeping the team database's offline copy current after each successful command.

    python benchmarks/bench_offline_copy.py [--profiles 100000] [--customers 3000] [--runs 5]

Starts a throwaway PostgreSQL cluster (Debian's server binaries, as the tests do), seeds the demo
inventory into it, writes an offline copy, and then, in the same run, times:

- *before*: read the whole inventory again, encrypt and write the copy (what every successful
  team command cost, whatever it did);
- *after a read command* (nothing changed): compare the change log's newest seq with the
  copy's stamp and renew the stamp only;
- *after a command that changed one profile* (and the window's periodic write, which takes the
  same path): read the change log since the copy's stamp and only the changed rows, and add
  them to the small delta beside the copy (folded into it once it grows);

and prints the medians and the ratios before / after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The benchmark's keyring lives in memory (a test keyring; the app refuses one unless told).
os.environ["APP_PROFILES_ALLOW_TEST_KEYRING"] = "1"


def _median(runs: int, before: Callable[[], object], fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        before()
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

    from desktop.core.catalog.loader import load_catalog
    from desktop.core.demo import seed_demo
    from desktop.core.domain import Status
    from desktop.core.store.postgres.database import PostgresStore
    from desktop.core.store.postgres.offline_days import offline_days
    from desktop.core.team.offline import OfflineStore, keep_current, snapshot
    from tests.helpers.keyrings import MemoryKeyring
    from tests.helpers.postgres import missing_reason, new_database, remove_cluster, start_cluster
    from tests.helpers.team import member, migrated

    reason = missing_reason()
    if reason:
        raise SystemExit(f"Cannot start PostgreSQL: {reason}")
    cluster = start_cluster()
    try:
        db = new_database(cluster)
        migrated(db)
        _login, url = member(db, "bench", "technician")
        store = PostgresStore.open(url)
        start = time.perf_counter()
        seed_demo(store, load_catalog().catalog, customers=args.customers, profiles=args.profiles)
        print(f"Seeded {args.profiles:,} profiles / {args.customers:,} customers on PostgreSQL "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        name = "127.0.0.1/bench"
        with tempfile.TemporaryDirectory(prefix="bench-offline-") as folder:
            copies = OfflineStore(Path(folder), "bench", MemoryKeyring())
            with store.reading() as uow:
                days = offline_days(uow.conn)
            first = snapshot(store, name, days)
            copies.save(first)
            ids = [r.id for r in first.rows]
            turn = [0]

            def change_one() -> None:  # the command's own change, before the refresh
                turn[0] += 1
                status = Status.VALID if turn[0] % 2 else Status.INVALID
                with store.unit_of_work() as uow:
                    uow.profiles.mark(ids[turn[0] * 7919 % len(ids)], status, "bench", "")

            def whole() -> None:
                with store.reading() as uow:
                    offline_days(uow.conn)
                copies.save(snapshot(store, name, days))

            def current() -> None:  # the command's path now (CoreServices.refresh_offline_copy)
                with store.reading() as uow:
                    offline_days(uow.conn)
                keep_current(store, copies, name, days)

            def nothing() -> None:
                return None

            copies.save(snapshot(store, name, days))  # warm the server's buffers
            timed = {
                "before (whole copy, any command)": _median(args.runs, change_one, whole),
                "after a read command": _median(args.runs, nothing, current),
                "after one change": _median(args.runs, change_one, current),
            }
            check = copies.load()
            assert check.rows == snapshot(store, name, days).rows  # the same copy either way
        store.close()
        print(f"Keeping the offline copy current after a command, {args.profiles:,} profiles "
              f"(median of {args.runs}):")  # fmt: skip
        base = timed["before (whole copy, any command)"]
        for label, seconds in timed.items():
            print(f"  {label:<34} {seconds * 1000:8.1f} ms   before/this {base / seconds:6.2f}")
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
