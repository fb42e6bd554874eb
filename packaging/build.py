"""Build the app for the current OS with PyInstaller (onedir, windowed) and print its size.

    python packaging/build.py [--self-test | --self-test-only] [--dist DIR] [--work DIR]

Writes ``dist/app-profiles/`` (Windows, Linux) or ``dist/App Profile Manager.app`` (macOS).
``--self-test`` then runs the built app's ``--self-test`` (offscreen on Linux) and fails the
build when it does not pass.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import spec_common  # noqa: E402
from make_icons import make_icons  # noqa: E402


def folder_size(path: Path) -> int:
    """Bytes of every file under *path* (symlinks counted once, as links)."""
    total = 0
    for item in path.rglob("*"):
        if item.is_symlink():
            continue
        if item.is_file():
            total += item.stat().st_size
    return total


def bundle_path(dist: Path) -> Path:
    """The folder a user gets: the ``.app`` on macOS, the onedir folder elsewhere."""
    if sys.platform == "darwin":
        return dist / f"{spec_common.APP_NAME}.app"
    return dist / spec_common.EXE_NAME


def executable_path(dist: Path) -> Path:
    if sys.platform == "darwin":
        return bundle_path(dist) / "Contents" / "MacOS" / spec_common.EXE_NAME
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_path(dist) / f"{spec_common.EXE_NAME}{suffix}"


def run_pyinstaller(spec: Path, dist: Path, work: Path, env: dict[str, str] | None = None) -> None:
    """Run PyInstaller on *spec*; raises SystemExit when it fails."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(spec),
    ]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed with exit code {result.returncode}")


def self_test(executable: Path, data_home: Path) -> int:
    """Run the frozen app's ``--self-test`` against a throwaway data folder."""
    env = {**os.environ, "APP_PROFILES_HOME": str(data_home)}
    if sys.platform.startswith("linux"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run(
        [str(executable), "--self-test"],
        env=env,
        timeout=180,
        check=False,
        capture_output=True,
        text=True,
    )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--self-test", action="store_true", help="run the built app's self-test")
    parser.add_argument(
        "--self-test-only",
        action="store_true",
        help="do not build; run the self-test of the bundle already in --dist (e.g. once signed)",
    )
    args = parser.parse_args(argv)
    if args.self_test_only:
        return _report_self_test(args)

    started = time.monotonic()
    icons = args.work.parent / "icons"
    make_icons(icons)
    run_pyinstaller(HERE / "app.spec", args.dist, args.work, {"APP_PROFILES_ICON_DIR": str(icons)})
    bundle = bundle_path(args.dist)
    size = folder_size(bundle)
    print(f"Built {bundle} in {time.monotonic() - started:.0f} s")
    print(f"Bundle size: {size / 1_000_000:.1f} MB ({size:,} bytes)")
    return _report_self_test(args) if args.self_test else 0


def _report_self_test(args: argparse.Namespace) -> int:
    code = self_test(executable_path(args.dist), args.work / "self-test-home")
    print(f"Frozen self-test exit code: {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
