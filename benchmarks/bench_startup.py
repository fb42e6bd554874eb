"""Whole-process start to first paint: the app's ``--self-test`` against a bare PySide6 window.

    python benchmarks/bench_startup.py [--runs N] [--frozen]

Both are started as fresh processes, alternately, N times in the same run; the medians and
their ratio are printed (target: ratio <= 1.5). ``--frozen`` measures the PyInstaller bundles
instead (``dist/app-profiles`` and the minimal bundle ``bench_bundle_size.py`` leaves in
``build/bench``).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: wall-clock only
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
BARE = Path(__file__).with_name("bare_window.py")
TARGET = 1.5


def _children_cpu() -> float:
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one whole process."""
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed, _children_cpu() - cpu


def commands(frozen: bool) -> tuple[list[str], list[str]]:
    """(app, baseline) command lines."""
    if not frozen:
        return [sys.executable, "-m", "desktop", "--self-test"], [sys.executable, str(BARE)]
    suffix = ".exe" if sys.platform == "win32" else ""
    app = ROOT / "dist" / "app-profiles" / f"app-profiles{suffix}"
    bare = ROOT / "build" / "bench" / "dist" / "bare-window" / f"bare-window{suffix}"
    for path in (app, bare):
        if not path.exists():
            raise SystemExit(f"{path} is missing: run benchmarks/bench_bundle_size.py first")
    return [str(app), "--self-test"], [str(bare)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", action="store_true", help="measure the bundles")
    args = parser.parse_args()
    app_cmd, bare_cmd = commands(args.frozen)
    if not args.frozen:
        # An installed app has byte code (pip compiles on install); a source tree run with
        # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.
        compileall.compile_dir(ROOT / "desktop", quiet=1)
        compileall.compile_file(BARE, quiet=1)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "APP_PROFILES_HOME": home, "PYTHONPATH": str(ROOT)}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        # One untimed run each warms the OS file cache, as a second launch by a user would.
        _time(app_cmd, env)
        _time(bare_cmd, env)
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(_time(app_cmd, env))
            bare_runs.append(_time(bare_cmd, env))
    kind = "frozen bundles" if args.frozen else "from source"
    print(f"Start to first paint ({kind}, {args.runs} runs each, {env['QT_QPA_PLATFORM']})")
    for label, index in (("wall clock", 0), ("CPU time", 1)):
        app_t = [run[index] for run in app_runs]
        bare_t = [run[index] for run in bare_runs]
        if not any(bare_t):
            continue
        app_med, bare_med = statistics.median(app_t), statistics.median(bare_t)
        ratio = app_med / bare_med
        verdict = "OK" if ratio <= TARGET else "OVER"
        print(f"  {label}:")
        print(
            f"    app --self-test : median {app_med * 1000:7.1f} ms  min {min(app_t) * 1000:7.1f}"
        )
        print(
            f"    bare window     : median {bare_med * 1000:7.1f} ms  min {min(bare_t) * 1000:7.1f}"
        )
        print(f"    ratio (medians) : {ratio:.2f}  (target <= {TARGET}) {verdict}")
        print(f"    ratio (minimums): {min(app_t) / min(bare_t):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
