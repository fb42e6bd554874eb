"""Log files in the platform's log folder, rotated, with every secret redacted.

The folder is ``$APP_PROFILES_HOME/logs`` when that variable is set (tests, portable installs),
otherwise the platform's per-user log folder (``%LOCALAPPDATA%\\AppProfileManager\\Logs``,
``~/Library/Logs/AppProfileManager``, ``~/.local/state/AppProfileManager/log``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from desktop.core.paths import APP_DIR_NAME, HOME_ENV
from desktop.core.redaction import redact

LOG_FILE_NAME = "app-profiles.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
#: The name of the handler this module installs, so a second call replaces it.
HANDLER_NAME = "app-profiles-file"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Rewrites each record so that its message, traceback and stack hold no secret.

    Attach it to a handler: a handler's filters see records from every logger that
    propagates to it, a logger's filters only that logger's own records.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RotatingFile(logging.FileHandler):
    """A log file that is renamed to ``.1`` (``.1`` to ``.2``...) when it would pass max_bytes.

    The same scheme as ``logging.handlers.RotatingFileHandler``; that module pulls in socket,
    pickle and queue, which cost several milliseconds on every start.
    """

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backup_count = backup_count

    def _open(self) -> Any:
        # The folder is made with the first record: a CLI command that logs nothing leaves
        # no trace in the data folder.
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_rotate(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _should_rotate(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        message = f"{self.format(record)}{self.terminator}"
        return bool(self.stream.tell() + len(message.encode("utf-8")) > self.max_bytes)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = Path(self.baseFilename)
        for index in range(self.backup_count - 1, 0, -1):
            older = base.with_name(f"{base.name}.{index}")
            if older.exists():
                os.replace(older, base.with_name(f"{base.name}.{index + 1}"))
        if self.backup_count > 0 and base.exists():
            os.replace(base, base.with_name(f"{base.name}.1"))
        self.stream = self._open()


#: The name of the stderr handler :func:`add_stderr_handler` installs.
STDERR_HANDLER_NAME = "app-profiles-stderr"


def add_stderr_handler(level: int = logging.DEBUG) -> None:
    """Also send log records to stderr, redacted like the file (the CLI's ``--verbose``)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == STDERR_HANDLER_NAME:
            root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.set_name(STDERR_HANDLER_NAME)
    handler.setLevel(level)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(min(root.level, level))


def default_log_dir() -> Path:
    """``$APP_PROFILES_HOME/logs`` when set, otherwise the platform's per-user log folder."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser() / "logs"
    import platformdirs  # lazy: keeps start-up imports small

    return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))


def setup_logging(
    log_dir: Path | None = None,
    *,
    level: int = logging.INFO,
    name: str = LOG_FILE_NAME,
    lazy: bool = False,
) -> Path:
    """Send the root logger to a rotating, redacted file in *log_dir*; return the file's path.

    Calling it again replaces the handler it installed before (tests, a changed folder).
    When the folder cannot be created, logging goes to stderr only and the app still starts.
    With *lazy* the folder is made only when the first record is written (the CLI).
    """
    folder = log_dir if log_dir is not None else default_log_dir()
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == HANDLER_NAME:
            root.removeHandler(old)
            old.close()
    path = folder / name
    handler: logging.Handler
    try:
        if not lazy:
            folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFile(path, MAX_BYTES, BACKUP_COUNT)
    except OSError:
        handler = logging.StreamHandler()
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return path
