"""``app-profiles-cli``: the command-line front end over the same core as the GUI.

Exit codes: 0 success; 1 a check found Expired or Invalid profiles; 2 bad input or an error.
Errors go to stderr as one line, never a traceback. The log (redacted, like the GUI's) goes to
``app-profiles-cli.log`` in the log folder; ``--verbose`` also shows it on stderr. A command's
``--timeout`` is the deadline of the whole command.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from types import FrameType
from typing import Any, NoReturn

from desktop import __version__
from desktop.cli_commands import COMMAND_MODULES, CliContext
from desktop.cli_commands.common import check_arguments
from desktop.cli_commands.output import escape
from desktop.core import notices
from desktop.core.deadline import Deadline, deadline_for
from desktop.core.errors import UserError
from desktop.core.logging_setup import add_stderr_handler, setup_logging
from desktop.core.network_errors import network_error

CLI_LOG_FILE = "app-profiles-cli.log"

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
    parser.add_argument(
        "--verbose", action="store_true", help="also show the (redacted) log on stderr"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _setup_logging(verbose: bool) -> None:
    """The GUI's redacting log file; stderr only with --verbose (never lastResort's dump)."""
    setup_logging(name=CLI_LOG_FILE, lazy=True)
    if verbose:
        add_stderr_handler()
    # A log that cannot be written (a full disk) must not print "--- Logging error ---".
    logging.raiseExceptions = False

    def thread_failed(hook: threading.ExceptHookArgs) -> None:
        log.error(
            "unexpected error in thread %s",
            hook.thread.name if hook.thread else "?",
            exc_info=(hook.exc_type, hook.exc_value or hook.exc_type(), hook.exc_traceback),
        )

    threading.excepthook = thread_failed


def _deadline(args: argparse.Namespace, ctx: CliContext) -> AbstractContextManager[Any]:
    """The command's deadline: its --timeout, or Settings' consent_timeout_seconds."""
    if not hasattr(args, "timeout"):
        return nullcontext()
    if args.timeout is None:
        from desktop.cli_commands.common import setting_timeout
        from desktop.core.settings import Settings

        settings_file = ctx.paths.settings
        args.timeout = setting_timeout(
            Settings.load(settings_file).consent_timeout_seconds, settings_file
        )
    return deadline_for(args.timeout)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal) arrived: unwind like Ctrl+C, so that every
    ``finally`` and ``except BaseException`` cleans up (nothing half-stored is left)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while a command runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (tests may call main() elsewhere)
        return
    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    before = {signum: signal.signal(signum, _stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Returns the exit code."""
    parser = build_parser()
    try:
        check_arguments(list(sys.argv[1:] if argv is None else argv))
    except UserError as exc:
        print(exc.one_line(), file=sys.stderr)
        return EXIT_ERROR
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    with _signals_unwind():
        try:
            return _run(args)
        except KeyboardInterrupt as exc:  # arrived while an error was being reported
            with contextlib.suppress(OSError):
                print(
                    f"Stopped ({exc})." if isinstance(exc, Stopped) else "Cancelled.",
                    file=sys.stderr,
                )
            return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    ctx = CliContext()
    # Notices from core (e.g. an unreadable sign-in set aside) are one line each on stderr.
    listener = notices.listen(lambda text: print(escape(f"Warning: {text}"), file=sys.stderr))
    limit: float | None = getattr(args, "timeout", None)
    try:
        ctx.collect_interrupted()
        with _deadline(args, ctx) as deadline:
            if isinstance(deadline, Deadline):
                limit = deadline.seconds
            _use_settings_browser()
            if getattr(args, "ticket", None) is not None:
                from desktop.cli_commands.ticket import use_ticket

                use_ticket(args.ticket, ctx)
            code = args.handler(args, ctx)
        if not code:  # every successful team-mode command refreshes the offline copy
            ctx.refresh_offline_copy()
    except UserError as exc:
        if exc.detail:  # the technical part, for a support ticket
            log.info("%s failed: %s (%s)", args.command, exc.one_line(), exc.detail)
        # Escaped: a name quoted in the message could hold ESC or a bidi override.
        print(escape(_with_settings_command(exc)), file=sys.stderr)
        return EXIT_ERROR
    except Stopped as exc:
        with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
            print(f"Stopped ({exc}).", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: one line, never a traceback
        translated = network_error(exc, timeout_s=limit)
        if translated is not None:
            log.warning("%s failed: %s", args.command, exc, exc_info=True)
            print(translated.one_line(), file=sys.stderr)
            return EXIT_ERROR
        log.exception("unexpected error in %s", args.command)
        print(escape(f"Unexpected error: {type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_ERROR
    finally:
        notices.stop(listener)
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
