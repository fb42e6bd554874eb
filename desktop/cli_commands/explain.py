"""``explain TEXT [--tenant T] [--format json]``: what a Microsoft error page means.

Most sign-in errors are shown on Microsoft's page in the browser and never reach the waiting
consent. Paste the AADSTS code or trace ID the page shows (or the whole text; ``-`` or no
TEXT reads standard input) and this says what happened and what to do, through the same table
as the consent's own errors. Exit 0 when a code or trace ID was recognised, 2 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_commands.common import format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit_object
from desktop.core.errors import UserError
from desktop.core.identity.explain import explain_pasted

#: The line the consent commands print while the browser is open.
WAITING_LINE = (
    "If the browser shows a Microsoft error page, come back here: press Ctrl+C to cancel, "
    'then run: app-profiles-cli explain "<the AADSTS code or trace ID it shows>"'
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "explain",
        parents=[format_parent()],
        help="say what an AADSTS code or trace ID from Microsoft's error page means",
    )
    parser.add_argument(
        "text", nargs="*", metavar="TEXT", help="the code, trace ID or page text (- : stdin)"
    )
    parser.add_argument("--tenant", default="", help="the tenant's domain, to name it")
    parser.set_defaults(handler=_explain)


def _explain(args: argparse.Namespace, ctx: CliContext) -> int:
    text = " ".join(args.text)
    if not text or text == "-":
        text = sys.stdin.read()
    found = explain_pasted(text, args.tenant or "the customer's tenant")
    if not found.codes and not found.trace_ids:
        raise UserError(found.message, remedy=found.remedy)
    emit_object(
        {
            "codes": [f"AADSTS{c}" for c in found.codes],
            "trace_ids": list(found.trace_ids),
            "what_happened": found.message,
            "what_to_do": found.remedy,
        },
        args.format,
    )
    return 0
