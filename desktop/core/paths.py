"""Where the app keeps its data, and the environment variables that move it.

``APP_PROFILES_HOME`` overrides the data folder for the GUI and the CLI alike; otherwise the
platform's per-user data folder is used (``%LOCALAPPDATA%``, ``~/Library/Application Support``,
``$XDG_DATA_HOME``).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import UserError

HOME_ENV = "APP_PROFILES_HOME"
APP_DIR_NAME = "AppProfileManager"
#: The file in a data folder that holds its id (see :func:`folder_id`).
FOLDER_ID_FILE = "folder-id"
#: Marks a certificate in the vault stored for a profile not saved yet.
PENDING_SUFFIX = ".pending"
_FOLDER_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class DataPaths:
    """The files and folders under one data folder."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / "profiles.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def vault(self) -> Path:
        return self.root / "vault"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def catalog_override(self) -> Path:
        return self.root / "catalog-override.json"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def folder_id(self) -> Path:
        return self.root / FOLDER_ID_FILE

    def pending_certificates(self) -> list[Path]:
        """The markers of certificates stored for a profile not saved (yet, or ever)."""
        try:
            return sorted(self.vault.glob(f"*{PENDING_SUFFIX}"))
        except OSError:
            return []

    def ensure(self) -> DataPaths:
        """Create the folder tree, with a message a user understands when that is impossible."""
        try:
            for folder in (self.root, self.backups, self.vault, self.logs):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"Cannot create the data folder {self.root}: {exc.strerror or exc}.",
                remedy=f"Check the folder's permissions and free space, or set {HOME_ENV} "
                "to a folder you can write to.",
            ) from exc
        return self


def default_data_root() -> Path:
    """The data folder from the environment, or the platform's per-user data folder."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # lazy: keeps start-up imports small

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def data_paths(root: Path | None = None) -> DataPaths:
    """The :class:`DataPaths` for *root*, or for the default data folder."""
    return DataPaths(root if root is not None else default_data_root())


def folder_id(path: Path) -> str:
    """The data folder's id, read from *path*; created (random, 128 bits) on first use.

    Every keyring entry of a data folder carries this id in its name, so that two data
    folders (a second ``APP_PROFILES_HOME``, a portable copy, the sandbox's throwaway folder)
    never share or replace each other's keys. The file is created whole or not at all: it is
    written under a temporary name and then linked into place, which fails when another
    process got there first; that process's id is used.
    """
    text = _read_id(path)
    if text is not None:
        return text
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(secrets.token_hex(16) + "\n", encoding="ascii")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # no hard links (FAT): a rename that refuses to replace (Windows)
            if not path.exists():
                os.rename(tmp, path)
    except OSError as exc:
        raise UserError(
            f"Cannot create the data folder's id file {path}: {exc.strerror or exc}.",
            remedy="Check the folder's permissions and free space.",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    text = _read_id(path)
    if text is None:
        raise _damaged_id(path)
    return text


def _read_id(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _damaged_id(path) from exc
    if not _FOLDER_ID.fullmatch(text):
        raise _damaged_id(path)
    return text


def _damaged_id(path: Path) -> UserError:
    return UserError(
        f"The data folder's id file {path} is damaged.",
        remedy="Restore it from a copy of the data folder; without it the app cannot find its "
        "keys in the OS keyring.",
    )
