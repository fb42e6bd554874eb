"""``demo seed``: realistic synthetic customers, tenants and profiles."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_commands.common import format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit_object


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="demo data for trying the app")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    seed = sub.add_parser("seed", parents=[format_parent()], help="add synthetic data")
    seed.add_argument("--customers", type=int, default=20, metavar="N")
    seed.add_argument("--profiles", type=int, default=100, metavar="M")
    seed.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
    seed.set_defaults(handler=_seed)


def _seed(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.demo import seed_demo

    def progress(done: int, total: int, text: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{text}", end="", file=sys.stderr, flush=True)

    result = seed_demo(
        ctx.inventory.store,
        ctx.catalog,
        customers=args.customers,
        profiles=args.profiles,
        seed=args.seed,
        progress=progress,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    emit_object(
        {"customers": result.customers, "tenants": result.tenants, "profiles": result.profiles},
        args.format,
    )
    return 0
