"""What a CLI command needs, built lazily so a command pays only for what it uses."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.cli_commands.output import escape
from desktop.core.catalog import Catalog
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths, data_paths
from desktop.core.services import CoreServices

if TYPE_CHECKING:
    from desktop.core.inventory import Inventory, RemoveSecret
    from desktop.core.secrets import SecretStore


def _warn(problem: str) -> None:
    print(escape(f"Warning: {problem}"), file=sys.stderr)


class CliContext:
    """Lazily built core services for one CLI run (over :class:`CoreServices`)."""

    @cached_property
    def paths(self) -> DataPaths:
        return data_paths().ensure()

    @cached_property
    def services(self) -> CoreServices:
        """The core services of the data folder: the same composition root as the GUI's."""
        # A team database that cannot be reached: reads answer from its offline copy with
        # one warning line; writes are refused in words.
        return CoreServices(self.paths, on_catalog_problem=_warn, on_offline=_warn)

    @property
    def catalog(self) -> Catalog:
        """The catalog; a bad override is one warning line on stderr, then the shipped one."""
        return self.services.catalog

    @property
    def inventory(self) -> Inventory:
        return self.services.inventory()

    @property
    def certificates(self) -> SecretStore:
        """Profiles' certificates in the vault (the keyring is asked only when used)."""
        return self.services.certificates()

    @cached_property
    def remove_secret(self) -> RemoveSecret:
        """Removes a deleted profile's certificate from the vault."""
        return self.services.secret_remover()

    def collect_interrupted(self) -> None:
        """Remove certificates an earlier, killed run stored for a profile it never saved."""
        from desktop.core.inventory.secrets import collect_interrupted

        paths = data_paths()  # not created here: a command that needs no data folder makes none
        collect_interrupted(
            paths, lambda: self.services.certificates(), lambda: self.services.inventory()
        )

    def refresh_offline_copy(self) -> None:
        """After a command succeeded on the team database, refresh its offline copy (a copy
        that cannot be written is one warning line: the command itself succeeded)."""
        if "services" not in self.__dict__:
            return  # the command opened nothing
        try:
            self.services.refresh_offline_copy()
        except UserError as exc:
            _warn(f"the offline copy was not refreshed: {exc.one_line()}")

    def close(self) -> None:
        """Release whatever the command opened (store connections and the like)."""
