"""Telling a full disk apart from other write failures, and saying so plainly.

A full disk is the one write failure with a sure remedy (free some space and try again), and
the one where the usual advice for a damaged file (restore a backup) would throw away data.
"""

from __future__ import annotations

import errno
from pathlib import Path

from desktop.core.errors import UserError

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_full_os_error(exc: BaseException) -> bool:
    """True for an OSError that says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS


def disk_full_error(path: Path, *, lost_nothing: str, detail: str = "") -> UserError:
    """The one message for a full disk: where, that nothing was lost, and what to do."""
    return UserError(
        f"The disk is full: {path} could not be written. {lost_nothing}",
        remedy="Free some space on that disk, then try again.",
        detail=detail,
    )
