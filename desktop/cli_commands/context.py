"""What a CLI command needs, built lazily so a command pays only for what it uses."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.cli_commands.output import escape
from desktop.core.catalog import Catalog
from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths, data_paths

if TYPE_CHECKING:
    from desktop.core.inventory import Inventory, RemoveSecret
    from desktop.core.secrets import SecretStore


class CliContext:
    """Lazily built core services for one CLI run."""

    @cached_property
    def paths(self) -> DataPaths:
        return data_paths().ensure()

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog; a bad override is one warning line on stderr, then the shipped one."""
        loaded = load_catalog(self.paths.catalog_override)
        for problem in loaded.problems:
            print(escape(f"Warning: {problem}"), file=sys.stderr)
        return loaded.catalog

    @cached_property
    def inventory(self) -> Inventory:
        from desktop.core.inventory import Inventory

        return Inventory.open(self.paths)

    @cached_property
    def certificates(self) -> SecretStore:
        """Profiles' certificates in the secret store (the keyring is asked only when used)."""
        from desktop.core.secrets import open_secret_store

        return open_secret_store(self.paths)

    @cached_property
    def remove_secret(self) -> RemoveSecret:
        """Removes a deleted profile's certificate from the vault."""
        from desktop.core.inventory.secrets import VaultSecretRemover

        return VaultSecretRemover(self.certificates)

    def collect_interrupted(self) -> None:
        """Remove certificates an earlier, killed run stored for a profile it never saved."""
        from desktop.core.inventory.secrets import collect_interrupted

        paths = data_paths()  # not created here: a command that needs no data folder makes none
        collect_interrupted(paths, lambda: self.certificates, lambda: self.inventory)

    def close(self) -> None:
        """Release whatever the command opened (store connections and the like)."""
