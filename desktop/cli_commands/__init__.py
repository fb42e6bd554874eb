"""The CLI's commands, one module each. Each module has ``register(subparsers)``.

A command's parser sets ``handler=fn`` with ``fn(args, ctx) -> int``.
"""

from __future__ import annotations

from types import ModuleType

from desktop.cli_commands import (
    apps,
    cert,
    check,
    consent,
    customers,
    demo,
    explain,
    permissions,
    profiles,
    reauthorize,
    settings,
    signin,
    team,
    team_secrets,
    tenants,
    watch,
)
from desktop.cli_commands.context import CliContext

COMMAND_MODULES: tuple[ModuleType, ...] = (
    customers,
    tenants,
    profiles,
    apps,
    permissions,
    cert,
    signin,
    consent,
    demo,
    check,
    reauthorize,
    explain,
    settings,
    team,
    team_secrets,  # joins the team command: after it
    watch,
)

__all__ = ["COMMAND_MODULES", "CliContext"]
