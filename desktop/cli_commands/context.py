"""What a CLI command needs, built lazily so a command pays only for what it uses."""

from __future__ import annotations

from functools import cached_property

from desktop.core.paths import DataPaths, data_paths


class CliContext:
    """Lazily built core services for one CLI run."""

    @cached_property
    def paths(self) -> DataPaths:
        return data_paths().ensure()

    def close(self) -> None:
        """Release whatever the command opened (store connections and the like)."""
