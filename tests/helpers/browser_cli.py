"""The browser stand-in as a program, for ``BROWSER`` in CLI subprocess tests.

``BROWSER="python -m tests.helpers.browser_cli --ca CA [--decision accept|cancel|none]
[--upn UPN] [--log FILE] %s"``. It always exits 0, as a browser that opened the page does
(``webbrowser`` would otherwise try the next browser it knows); problems go to ``--log``.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import traceback
from pathlib import Path

from tests.helpers.browser import StandInBrowser


def browser_command(
    ca: Path, *, decision: str = "accept", upn: str = "", log: Path | None = None
) -> str:
    """The ``BROWSER`` value that runs this stand-in with these choices."""
    parts = [sys.executable, "-m", "tests.helpers.browser_cli", "--ca", str(ca)]
    parts += ["--decision", decision]
    if upn:
        parts += ["--upn", upn]
    if log is not None:
        parts += ["--log", str(log)]
    return shlex.join(parts) + " %s"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--decision", choices=("accept", "cancel", "none"), default="accept")
    parser.add_argument("--upn", default="")
    parser.add_argument("--log", type=Path)
    parser.add_argument("url")
    args = parser.parse_args(argv)
    browser = StandInBrowser(
        args.ca, decision=None if args.decision == "none" else args.decision, upn=args.upn or None
    )
    try:
        browser(args.url)
        note = f"visited {args.url}\n"
        if browser.last_response is not None:
            note += f"ended at {browser.last_response.status_code} {browser.last_response.url}\n"
    except Exception:
        note = traceback.format_exc()
    if args.log is not None:
        with args.log.open("a", encoding="utf-8") as handle:
            handle.write(note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
