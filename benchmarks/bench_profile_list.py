"""Benchmark the profile list at MSP scale: start-up, one filter keystroke, memory.

Seeds 100,000 profiles (about 3,000 customers) into a throwaway data folder and prints:

- process start to first rows painted (``python -m desktop --self-test``) against an empty store,
  and the ratio (target: at most 1.3);
- the time to apply one filter keystroke at 100,000 rows (target: under 100 ms);
- peak memory with the whole list loaded, at 100,000 profiles against an empty store.

Run from the repository root: ``python benchmarks/bench_profile_list.py [--runs 5]``.
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


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        APP_PROFILES_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
    )
    return env


def seed(home: Path, customers: int, profiles: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "demo", "seed", "--customers", str(customers),
         "--profiles", str(profiles)],
        env=_env(home), check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - start


def self_test_seconds(home: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        env=_env(home), capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"self-test failed: {proc.stderr.strip()}")
    return elapsed


def child_measure(home: Path) -> dict[str, float]:
    """Runs in a subprocess: load the whole list, time keystrokes, report peak memory."""
    import resource

    from PySide6.QtWidgets import QApplication

    from desktop.app import build_context, build_window
    from desktop.core.paths import data_paths

    app = QApplication([sys.argv[0]])
    ctx = build_context(data_paths(home))
    window = build_window(ctx)
    window.show()
    page = ctx.profiles_page
    assert page is not None
    deadline = time.monotonic() + 120
    loaded = time.perf_counter()
    while time.monotonic() < deadline:
        app.processEvents()
        if page._complete and (page.model.total() > 0 or page.self_test_ready()):
            break
        time.sleep(0.002)
    loaded = time.perf_counter() - loaded
    result: dict[str, float] = {"rows": float(page.model.total()), "full_load_s": loaded}
    timings: list[float] = []
    # Each keystroke: the worst case re-filters all rows (a new first letter, a deletion).
    for text in ("c", "co", "con", "cont", "conto", "contos", "contoso", "", "n", "no", "x", ""):
        start = time.perf_counter()
        page.filters.search.setText(text)
        app.processEvents()  # let the view repaint the new rows
        timings.append(time.perf_counter() - start)
    result["keystroke_median_ms"] = statistics.median(timings) * 1000
    result["keystroke_max_ms"] = max(timings) * 1000
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    ctx.runner.wait_for_done(5_000)
    return result


def measure_in_child(home: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(home)],
        env=_env(home), capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.child)), flush=True)
        os._exit(0)  # skip interpreter teardown: only the figures matter here
    with tempfile.TemporaryDirectory(prefix="bench-profiles-") as tmp:
        empty, full = Path(tmp, "empty"), Path(tmp, "full")
        seeded = seed(full, args.customers, args.profiles)
        print(f"Seeded {args.profiles:,} profiles / {args.customers:,} customers in {seeded:.1f} s")
        self_test_seconds(empty)  # warm the OS file cache for both
        self_test_seconds(full)
        empty_runs, full_runs = [], []
        for _ in range(args.runs):
            empty_runs.append(self_test_seconds(empty))
            full_runs.append(self_test_seconds(full))
        e, f = statistics.median(empty_runs), statistics.median(full_runs)
        print(f"Start to first rows painted (median of {args.runs}):")
        print(f"  empty store     {e:.3f} s")
        print(f"  {args.profiles:,} profiles {f:.3f} s")
        print(f"  ratio           {f / e:.2f}  (target <= 1.3)")
        big = measure_in_child(full)
        small = measure_in_child(empty)
        print(f"Whole list loaded in the background in {big['full_load_s']:.2f} s "
              f"({int(big['rows']):,} rows)")  # fmt: skip
        print(f"One filter keystroke at {int(big['rows']):,} rows: median "
              f"{big['keystroke_median_ms']:.1f} ms, worst {big['keystroke_max_ms']:.1f} ms "
              "(target < 100 ms)")  # fmt: skip
        print(f"Peak memory: empty store {small['peak_rss_mb']:.0f} MB, "
              f"{int(big['rows']):,} profiles {big['peak_rss_mb']:.0f} MB "
              f"(+{big['peak_rss_mb'] - small['peak_rss_mb']:.0f} MB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
