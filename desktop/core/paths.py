"""Where the app keeps its data, and the environment variables that move it.

``APP_PROFILES_HOME`` overrides the data folder for the GUI and the CLI alike; otherwise the
platform's per-user data folder is used (``%LOCALAPPDATA%``, ``~/Library/Application Support``,
``$XDG_DATA_HOME``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import UserError

HOME_ENV = "APP_PROFILES_HOME"
APP_DIR_NAME = "AppProfileManager"


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
