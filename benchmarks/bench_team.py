"""Benchmark team mode: the inventory on PostgreSQL against the same on SQLite, in one run.

    python benchmarks/bench_team.py [--clients 10] [--seconds 60] [--profiles 100000] [--runs 3]

Starts a throwaway PostgreSQL cluster (Debian's server binaries, as the tests do), seeds the
same demo inventory (100,000 profiles, 3,000 customers) into it and into a SQLite store, then
prints:

- *clients* concurrent client processes doing mixed work (list the first page, open a
  profile's details, mark a profile, rename a customer, add a customer) for *seconds*:
  operations per second and p95 latency on each backend, and the ratios;
- start-up to the first painted rows of the real window (``--self-test``'s path) with the
  inventory on each backend: medians of *runs* and the ratio (target: PostgreSQL <= 1.3x).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = 1.3
#: The mix of one client's work: (operation, weight).
MIX = (("list", 50), ("details", 20), ("mark", 15), ("rename", 10), ("add", 5))


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        APP_PROFILES_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
    )
    env.pop("APP_PROFILES_DATABASE_URL", None)
    return env


def open_repository(target: str, home: Path) -> Any:
    """The SQLite store in *home* (*target* ``sqlite``), or the team store at URL *target*."""
    if target == "sqlite":
        from desktop.core.paths import DataPaths
        from desktop.core.store import Store

        return Store.open(DataPaths(home).ensure())
    from desktop.core.store.postgres.database import PostgresStore

    return PostgresStore.open(target)


def seed(target: str, home: Path, customers: int, profiles: int) -> float:
    from desktop.core.catalog.loader import load_catalog
    from desktop.core.demo import seed_demo
    from desktop.core.paths import DataPaths

    start = time.perf_counter()
    store = open_repository(target, home)
    catalog = load_catalog(DataPaths(home).catalog_override).catalog
    seed_demo(store, catalog, customers=customers, profiles=profiles)
    if hasattr(store, "close"):
        store.close()
    return time.perf_counter() - start


# -- the concurrent clients ---------------------------------------------------------------------


def client(target: str, home: Path, seconds: float, tag: str) -> dict[str, list[float]]:
    """One client's mixed work; the latencies (seconds) of each operation."""
    from desktop.core.domain import Customer, Status

    store = open_repository(target, home)
    rng = random.Random(tag)
    with store.reading() as uow:
        profile_ids = [r.id for r in uow.profiles.rows(limit=5000)]
    mine: list[int] = []
    ops, weights = zip(*MIX, strict=True)
    latencies: dict[str, list[float]] = {op: [] for op in ops}
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        op = rng.choices(ops, weights)[0]
        if op == "rename" and not mine:
            op = "add"
        start = time.perf_counter()
        if op == "list":
            with store.reading() as uow:
                uow.profiles.rows(limit=200)
        elif op == "details":
            pid = rng.choice(profile_ids)
            with store.reading() as uow:
                uow.profiles.get(pid)
                uow.history.of_profile(pid)
        elif op == "mark":
            with store.unit_of_work() as uow:
                uow.profiles.mark(rng.choice(profile_ids), Status.INVALID, f"{tag} {n}", "")
        elif op == "rename":
            with store.unit_of_work() as uow:
                uow.customers.rename(rng.choice(mine), f"{tag} customer {n}")
        else:
            with store.unit_of_work() as uow:
                mine.append(uow.customers.insert(Customer(name=f"{tag} customer {n}")))
        latencies[op].append(time.perf_counter() - start)
    if hasattr(store, "close"):
        store.close()
    return latencies


def run_clients(target: str, home: Path, clients: int, seconds: float) -> dict[str, list[float]]:
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--client", target, str(home), str(seconds), f"c{i}"],
            env=_env(home),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(clients)
    ]
    merged: dict[str, list[float]] = {}
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 300)
        if proc.returncode != 0:
            raise SystemExit(f"a client failed on {_name(target)}")
        for op, values in json.loads(out.strip().splitlines()[-1]).items():
            merged.setdefault(op, []).extend(values)
    return merged


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


# -- start-up to the first painted rows ---------------------------------------------------------


def child_start(target: str, home: Path) -> int:
    """The window's ``--self-test`` path with the inventory on *target* (a subprocess)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import build_context, build_window, run_self_test
    from desktop.core.paths import data_paths

    app = QApplication([sys.argv[0]])
    ctx = build_context(data_paths(home))
    window = build_window(ctx)
    assert ctx.inventory is not None
    # The list reads whichever store its controller holds; give it the one measured.
    ctx.inventory._store = open_repository(target, home)
    return run_self_test(app, window)


def start_seconds(target: str, home: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--start", target, str(home)],
        env=_env(home), cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"start-up on {_name(target)} failed: {done.stderr.strip()}")
    return elapsed


def _name(target: str) -> str:
    return "SQLite" if target == "sqlite" else "PostgreSQL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--client", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--start", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        target, home, seconds, tag = args.client
        print(json.dumps(client(target, Path(home), float(seconds), tag)), flush=True)
        return 0
    if args.start:
        code = child_start(args.start[0], Path(args.start[1]))
        os._exit(code)  # skip interpreter teardown: only the time to the paint matters

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
        with tempfile.TemporaryDirectory(prefix="bench-team-") as tmp:
            homes = {"sqlite": Path(tmp, "sqlite"), url: Path(tmp, "postgres")}
            for target, home in homes.items():
                took = seed(target, home, args.customers, args.profiles)
                print(f"Seeded {args.profiles:,} profiles / {args.customers:,} customers "
                      f"on {_name(target)} in {took:.1f} s")  # fmt: skip

            print(f"{args.clients} concurrent clients, mixed work, {args.seconds:g} s each:")
            figures = {}
            for target, home in homes.items():
                lat = run_clients(target, home, args.clients, args.seconds)
                every = [v for values in lat.values() for v in values]
                figures[target] = (len(every) / args.seconds, p95(every))
                per_op = ", ".join(f"{op} {p95(v) * 1000:.1f}" for op, v in lat.items() if v)
                print(f"  {_name(target):<10} {figures[target][0]:8.1f} ops/s  "
                      f"p95 {figures[target][1] * 1000:6.1f} ms  (p95 ms: {per_op})")  # fmt: skip
            (s_ops, s_p95), (p_ops, p_p95) = figures["sqlite"], figures[url]
            print(f"  ratio PostgreSQL/SQLite: ops/s {p_ops / s_ops:.2f}, p95 {p_p95 / s_p95:.2f}")

            for target, home in homes.items():
                start_seconds(target, home)  # warm caches (files, the server's buffers)
            runs: dict[str, list[float]] = {t: [] for t in homes}
            for _ in range(args.runs):
                for target, home in homes.items():
                    runs[target].append(start_seconds(target, home))
            sqlite_s, pg_s = (statistics.median(runs[t]) for t in homes)
            print(f"Start to first rows painted, {args.profiles:,} profiles "
                  f"(median of {args.runs}):")  # fmt: skip
            print(f"  SQLite      {sqlite_s:.3f} s")
            print(f"  PostgreSQL  {pg_s:.3f} s")
            print(f"  ratio       {pg_s / sqlite_s:.2f}  (target <= {TARGET})")
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
