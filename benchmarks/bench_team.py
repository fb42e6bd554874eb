"""Benchmark the team store on PostgreSQL against the local SQLite store, in the same run.

    python benchmarks/bench_team.py [--profiles 100000] [--clients 10] [--seconds 60]

Starts a throwaway PostgreSQL cluster (Debian's server binaries, as the tests do), seeds the
same demo inventory into it and into a SQLite data folder, and prints:

- the first page of the profile list read by a fresh process (connect or open, count, the
  first 200 rows by name; the store's share of "start-up to the first painted rows"), median
  of ``--runs``, PostgreSQL against SQLite and their ratio (target: at most 1.3);
- *clients* processes doing mixed work against one team database for *seconds*: reads of a
  page, customer renames (with their version), notes, and status updates; operations per
  second and the 95th percentile latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.postgres import new_database, remove_cluster, start_cluster  # noqa: E402

TARGET = 1.3

FIRST_PAGE = """
import sys, time
start = time.perf_counter()
from desktop.core.paths import DataPaths
from desktop.core.store.postgres.choose import open_store
store = open_store(DataPaths(__import__("pathlib").Path(sys.argv[1])))
with store.reading() as uow:
    total = uow.profiles.count()
    rows = uow.profiles.rows(limit=200)
print(time.perf_counter() - start, total, len(rows))
"""

CLIENT = """
import json, random, sys, time
from desktop.core.domain import Status, utc_now
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.repository import StaleEditError

url, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
store = PostgresStore.open(url)
with store.reading() as uow:
    customers = [c.id for c in uow.customers.all()]
    profiles = [r.id for r in uow.profiles.rows(limit=5000)]
latencies, stale = [], 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    op = rng.random()
    start = time.perf_counter()
    try:
        if op < 0.5:
            with store.reading() as uow:
                uow.profiles.rows(customer_id=rng.choice(customers), limit=200)
        elif op < 0.7:
            cid = rng.choice(customers)
            with store.reading() as uow:
                version = uow.customers.version_of(cid)
            with store.unit_of_work() as uow:
                uow.customers.set_notes(cid, f"note {rng.random()}", expected_version=version)
        else:
            with store.unit_of_work() as uow:
                uow.profiles.update_status(
                    rng.choice(profiles), rng.choice([Status.VALID, Status.INVALID]), "", "",
                    utc_now())
    except StaleEditError:
        stale += 1
    latencies.append(time.perf_counter() - start)
store.close()
print(json.dumps({"latencies": latencies, "stale": stale}))
"""


def _env(home: Path, url: str | None) -> dict[str, str]:
    env = dict(os.environ, APP_PROFILES_HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("APP_PROFILES_DATABASE_URL", None)
    if url:
        env["APP_PROFILES_DATABASE_URL"] = url
    return env


def _seed(home: Path, url: str | None, customers: int, profiles: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "demo", "seed", "--customers", str(customers),
         "--profiles", str(profiles), "--seed", "7"],
        env=_env(home, url), check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - start


def _first_page(home: Path, url: str | None) -> float:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE, str(home)],
        env=_env(home, url), check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout.split()  # fmt: skip
    return float(out[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        db = new_database(cluster)
        url = db.owner_url
        with tempfile.TemporaryDirectory(prefix="bench-team-") as tmp:
            home = Path(tmp)
            team_home, local_home = home / "team", home / "local"
            subprocess.run(
                [sys.executable, "-m", "desktop.cli", "team", "init"],
                env=_env(team_home, url), check=True, capture_output=True, cwd=ROOT,
            )  # fmt: skip
            s_pg = _seed(team_home, url, args.customers, args.profiles)
            s_lite = _seed(local_home, None, args.customers, args.profiles)
            print(
                f"Seeded {args.profiles:,} profiles: PostgreSQL {s_pg:.1f} s, SQLite {s_lite:.1f} s"
            )
            _first_page(team_home, url)  # warm both
            _first_page(local_home, None)
            pg, lite = [], []
            for _ in range(args.runs):
                pg.append(_first_page(team_home, url))
                lite.append(_first_page(local_home, None))
            p, s = statistics.median(pg), statistics.median(lite)
            print(f"First page of the list in a fresh process (median of {args.runs}):")
            print(f"  SQLite      {s:.3f} s")
            print(f"  PostgreSQL  {p:.3f} s")
            print(f"  ratio       {p / s:.2f}  (target <= {TARGET})")

            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", CLIENT, url, str(args.seconds), str(i)],
                    env=_env(team_home, url),
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                )
                for i in range(args.clients)
            ]
            latencies: list[float] = []
            stale = 0
            for proc in procs:
                out, _ = proc.communicate(timeout=args.seconds + 300)
                result = json.loads(out.strip().splitlines()[-1])
                latencies += result["latencies"]
                stale += result["stale"]
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(f"{args.clients} clients, mixed work for {args.seconds:.0f} s:")
            print(f"  {len(latencies) / args.seconds:.0f} operations/s, p95 latency "
                  f"{p95 * 1000:.1f} ms, median {statistics.median(latencies) * 1000:.1f} ms, "
                  f"{stale} stale edits refused")  # fmt: skip
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
