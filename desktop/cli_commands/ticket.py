"""``--ticket`` on consent, re-authorize, delete and check: the help-desk ticket the work is for.

On the team database the number goes with every audit entry and history event the command
writes (the server stores it; see ``PostgresStore.ticket``). The local store keeps none.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_commands.output import escape
from desktop.core.errors import UserError

MAX_LENGTH = 64


def add_ticket(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ticket",
        metavar="NUMBER",
        help="the ticket number, recorded with the audit entries (team database)",
    )


def use_ticket(ticket: str, ctx: Any) -> None:
    """Make the command's writes carry *ticket* (checked first)."""
    text = ticket.strip()
    if not text or len(text) > MAX_LENGTH or not text.isprintable():
        raise UserError(
            f"--ticket must be 1 to {MAX_LENGTH} printable characters.",
            remedy="Give the ticket number as your help desk writes it, e.g. T-4711.",
        )
    store = ctx.inventory.store
    if hasattr(store, "ticket"):
        store.ticket = text
    else:
        print(
            escape("Warning: the local store keeps no ticket numbers; --ticket is recorded by "
                   "the team database only."),
            file=sys.stderr,
        )  # fmt: skip
