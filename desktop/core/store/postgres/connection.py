"""Connecting to the team database, and its errors in words a technician understands.

Connections run in autocommit mode; writes go through :func:`transaction`, one server
transaction each (with the optional ticket as ``SET LOCAL apm.ticket``, which the audit
triggers read). The password is never part of a message or a log line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from desktop.core.errors import UserError

#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_S = 10

Connection = psycopg.Connection[Any]


def redacted(url: str) -> str:
    """*url* without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the team database"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, ""))


def describe(url: str) -> str:
    """``host:port/database`` of *url*, for one-line messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the team database"
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or ''}"


#: TCP keepalives, so that a server or network that died without closing the connection is
#: noticed within about 30 s (10 s idle, then 4 probes 5 s apart), and unacknowledged data
#: gives up after 30 s (``tcp_user_timeout``, Linux) instead of the kernel's 15 minutes. A
#: value set in the URL wins.
KEEPALIVES: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 4,
    "tcp_user_timeout": 30_000,
}


def _keepalives(url: str) -> dict[str, int]:
    """The keepalive parameters *url* does not set itself."""
    try:
        given = conninfo_to_dict(url)
    except psycopg.Error:
        return {}  # the connection attempt reports the bad URL
    return {k: v for k, v in KEEPALIVES.items() if k not in given}


class TeamUnreachableError(UserError):
    """The team server cannot be reached (or the connection to it was lost): read commands
    may answer from the offline copy instead."""


def connect(url: str, *, password: str | None = None) -> Connection:
    """Open a connection to *url* (a libpq URL). Raises ``UserError`` in words."""
    extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "autocommit": True}
    extra.update(_keepalives(url))
    if password is not None:
        extra["password"] = password
    try:
        conn = psycopg.connect(url, application_name="app-profile-manager", **extra)
    except psycopg.Error as exc:
        raise connect_error(exc, url) from None
    except ValueError as exc:  # a URL libpq cannot parse
        raise UserError(
            f"The team database address is not a valid PostgreSQL URL ({exc}).",
            remedy="Set APP_PROFILES_DATABASE_URL to e.g. "
            "postgresql://alice@db.example:5432/profiles?sslmode=verify-full.",
        ) from None
    try:
        conn.execute("SET search_path TO apm, pg_catalog")
    except psycopg.Error as exc:
        conn.close()
        raise database_error(exc, url) from None
    return conn


def connect_error(exc: psycopg.Error, url: str) -> UserError:
    """A failed connection: unreachable, refused password, missing database, TLS."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = describe(url)
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return UserError(
            f"The team database {where} refused the sign-in ({text}).",
            remedy="Store the right password with 'app-profiles-cli team password set', "
            "or ask your team's admin to check your login.",
        )
    if "does not exist" in low and "database" in low:
        return UserError(
            f"The team database {where} does not exist on that server.",
            remedy="Check the database name in APP_PROFILES_DATABASE_URL.",
        )
    if "certificate" in low or "ssl" in low:
        return UserError(
            f"The team database {where} could not be reached securely ({text}).",
            remedy="Check the server's certificate and sslmode/sslrootcert in "
            "APP_PROFILES_DATABASE_URL.",
        )
    return TeamUnreachableError(
        f"The team database {where} cannot be reached ({text}).",
        remedy="Check your network connection and APP_PROFILES_DATABASE_URL, then try "
        "again. Nothing was changed.",
    )


def database_error(exc: psycopg.Error, url: str = "") -> UserError:
    """A failed statement on an open connection, in words."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        if "row-level security" in text:
            return UserError(
                "That customer is outside your team scope.",
                remedy="Ask your team's admin to add it to one of your groups "
                "('app-profiles-cli team scope').",
                detail=text,
            )
        if "append-only" in text:
            return UserError("The audit and history cannot be changed or deleted.", detail=text)
        return UserError(
            "This change was refused: your team role is read-only.",
            remedy="Ask your team's admin for the technician role. Nothing was changed.",
            detail=text,
        )
    if isinstance(exc, pg_errors.LockNotAvailable):
        return UserError(
            "The team database is busy with another change and did not get to this one.",
            remedy="Try again in a moment. Nothing was changed.",
            detail=text,
        )
    if isinstance(exc, psycopg.OperationalError):
        return TeamUnreachableError(
            f"The connection to the team database {describe(url)} was lost ({text}).",
            remedy="Try again when the server is reachable. A change that was not "
            "confirmed was not saved.",
            detail=text,
        )
    return UserError(f"The team database refused the operation: {text}.", detail=text)


@contextmanager
def transaction(conn: Connection, *, ticket: str | None = None) -> Iterator[Connection]:
    """Run the block as one server transaction; the ticket goes with its audit rows."""
    with conn.transaction():
        if ticket:
            conn.execute("SELECT set_config('apm.ticket', %s, true)", (ticket,))
        yield conn
