"""A real, tiny disk for disk-full tests: a tmpfs mounted for one test, filled on request.

Mounting needs root (or a user namespace); where the mount is refused the fixture skips with
the reason, and the tests that inject ENOSPC / SQLITE_FULL at the write seam still run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = "512k"


class SmallDisk:
    """A mounted tmpfs of :data:`SIZE`; :meth:`fill` takes all of its free space."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ballast = root / "ballast"

    def fill(self) -> None:
        """Write a ballast file until the disk says it is full (unbuffered, so the last
        partial chunk is found byte by byte and nothing fails later on close)."""
        fd = os.open(self._ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = 65536
            while size:
                try:
                    os.write(fd, b"\0" * size)
                except OSError:
                    size //= 2
        finally:
            os.close(fd)
        assert shutil.disk_usage(self.root).free == 0

    def free(self) -> None:
        self._ballast.unlink(missing_ok=True)


def _mount(target: Path) -> str | None:
    """Mount a tmpfs at *target*; the reason it cannot be mounted, or None."""
    if shutil.which("mount") is None:
        return "no mount command on this machine"
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root, and these tests do not run as root"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"mount -t tmpfs was refused: {done.stderr.strip() or done.returncode}"
    return None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A real tmpfs of 512 KiB under the test's folder, unmounted afterwards."""
    target = tmp_path / "small-disk"
    target.mkdir()
    reason = _mount(target)
    if reason is not None:
        pytest.skip(f"real disk-full test not possible: {reason}")
    try:
        yield SmallDisk(target)
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)
