"""An exclusive lock shared by every process that opens the same lock file.

The token cache uses it so that two app windows, or the app and a CLI run, never interleave
a read-merge-write of the same stored cache. The lock file itself stays empty.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from desktop.core.errors import UserError

#: How long to wait for another process before giving up (a keyring prompt can be slow).
DEFAULT_TIMEOUT_S = 60.0
_POLL_S = 0.05


class FileLock:
    """``with FileLock(path):`` holds an OS lock on *path* (created empty if missing).

    Not reentrant, and not a lock between threads of one process (guard those with a
    ``threading.Lock`` around it).
    """

    def __init__(self, path: Path, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise UserError(
                f"Cannot use the data folder: {exc.strerror or exc}.",
                remedy="Check the permissions of the data folder.",
            ) from exc
        deadline = time.monotonic() + self.timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise UserError(
                    "Another App Profile Manager window (or command) is busy with the stored "
                    "sign-ins.",
                    remedy="Wait until it has finished, then try again.",
                )
            time.sleep(_POLL_S)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            _unlock(fd)
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass  # closing the file releases it too

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
