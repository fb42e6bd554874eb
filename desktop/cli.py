"""``app-profiles-cli``: the command-line front end over the same core as the GUI.

Exit codes: 0 success; 1 a check found Expired or Invalid profiles; 2 bad input or an error.
Errors go to stderr as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from desktop import __version__
from desktop.cli_commands import COMMAND_MODULES, CliContext
from desktop.core.errors import UserError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

log = logging.getLogger("desktop.cli")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line on stderr, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="app-profiles-cli",
        description="Manage customers' Microsoft 365 app profiles from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"app-profiles-cli {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = CliContext()
    try:
        _use_settings_browser()
        code = args.handler(args, ctx)
    except UserError as exc:
        print(_with_settings_command(exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: one line, never a traceback
        log.exception("unexpected error in %s", args.command)
        print(f"Unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        ctx.close()
    return int(code or 0)


def _with_settings_command(exc: UserError) -> str:
    """The error's line; one that sends the reader to Settings names the command to run."""
    from desktop.core.settings_hint import settings_target

    line = exc.one_line()
    target = settings_target(line)
    if target is None:
        return line
    return f"{line.rstrip('.')}. From the command line: {target.cli_command()}"


def _use_settings_browser() -> None:
    """Sign-ins and consents open in the browser chosen in Settings (if any)."""
    from desktop.core.browser_choice import use_browser
    from desktop.core.paths import data_paths
    from desktop.core.settings import Settings

    # data_paths() without ensure(): a command that writes nothing there makes no data folder.
    with contextlib.suppress(UserError):  # a broken file is reported by the command using it
        use_browser(Settings.load(data_paths().settings).browser)


if __name__ == "__main__":
    sys.exit(main())
