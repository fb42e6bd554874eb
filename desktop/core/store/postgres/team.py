"""Managing the team on its database: roles, scope, and what the current member may do.

The server enforces all of it: a group role is a PostgreSQL role, a scope is a row that the
row-level security policies read. These functions only say it in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from desktop.core.errors import NotFoundError, UserError
from desktop.core.store.postgres.connection import Connection, database_error
from desktop.core.store.postgres.schema import GROUP_ROLES

#: The role names a technician types, and the server role each stands for.
ROLES = {"readonly": "apm_readonly", "technician": "apm_technician", "admin": "apm_admin"}


def _admin_only() -> UserError:
    return UserError(
        "Only your team's admin (or the database owner) can change roles and scopes.",
        remedy="Ask your team's admin. Nothing was changed.",
    )


def _run(conn: Connection, query: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    try:
        cur = conn.execute(query, params)
        return list(cur.fetchall()) if cur.description else []
    except psycopg.errors.InsufficientPrivilege:
        raise _admin_only() from None
    except psycopg.Error as exc:
        raise database_error(exc) from None


def _login(conn: Connection, user: str) -> str:
    """*user* as the server spells it; ``NotFoundError`` when there is no such login."""
    rows = _run(conn, "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = %s", (user,))
    if not rows:
        rows = _run(
            conn,
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE lower(rolname) = lower(%s)",
            (user,),
        )
    if not rows or not rows[0][1]:
        raise NotFoundError(
            f"There is no login '{user}' on the team database server.",
            remedy="The database owner creates it first (CREATE ROLE ... LOGIN, or the "
            "Microsoft Entra user on Azure), then grants it a role.",
        )
    return str(rows[0][0])


def grant(conn: Connection, user: str, role: str) -> str:
    """Give *user* exactly *role* (readonly, technician or admin); returns the login name."""
    if role not in ROLES:
        raise UserError(
            f"'{role}' is not a team role.", remedy="Use readonly, technician or admin."
        )
    login = _login(conn, user)
    missing = [
        r for r in GROUP_ROLES if not _run(conn, "SELECT 1 FROM pg_roles WHERE rolname = %s", (r,))
    ]
    if missing:
        raise UserError(
            "The team database is not set up yet (its group roles do not exist).",
            remedy="The database owner runs 'app-profiles-cli team init' once.",
        )
    with conn.transaction():
        _revoke_groups(conn, login)
        if role == "admin":
            # An admin manages the others' roles: it may grant (and revoke) every group role.
            _run(
                conn,
                sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                    sql.SQL(", ").join(sql.Identifier(r) for r in GROUP_ROLES),
                    sql.Identifier(login),
                ),
            )
        else:
            _run(
                conn,
                sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(ROLES[role]), sql.Identifier(login)
                ),
            )
    return login


def _revoke_groups(conn: Connection, login: str) -> None:
    held = [
        str(r[0])
        for r in _run(
            conn,
            "SELECT g.rolname FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE u.rolname = %s AND g.rolname = ANY(%s)",
            (login, list(GROUP_ROLES)),
        )
    ]
    for role in held:
        _run(conn, sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(role), sql.Identifier(login)))


def revoke(conn: Connection, user: str) -> str:
    """Take every team role (and scope) from *user*; returns the login name."""
    login = _login(conn, user)
    with conn.transaction():
        _revoke_groups(conn, login)
        _run(conn, "DELETE FROM apm.member_groups WHERE member = %s", (login,))
    return login


def _customer_id(conn: Connection, name: str) -> int:
    rows = _run(conn, "SELECT id FROM apm.customers WHERE lower(name) = lower(%s)", (name,))
    if not rows:
        raise NotFoundError(f"There is no customer named '{name}'.")
    return int(rows[0][0])


def assign(conn: Connection, customer: str, groups: Sequence[str]) -> None:
    """Put *customer* in *groups* (kept with the groups it is already in)."""
    cid = _customer_id(conn, customer)
    with conn.transaction():
        for group in groups:
            _run(
                conn,
                "INSERT INTO apm.customer_groups (customer_id, group_name) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                (cid, group),
            )


def unassign(conn: Connection, customer: str, groups: Sequence[str]) -> None:
    cid = _customer_id(conn, customer)
    _run(
        conn,
        "DELETE FROM apm.customer_groups WHERE customer_id = %s AND group_name = ANY(%s)",
        (cid, list(groups)),
    )


def limit(conn: Connection, user: str, groups: Sequence[str]) -> str:
    """Limit *user* to the customers of *groups* (replacing earlier limits); none: unlimited."""
    login = _login(conn, user)
    with conn.transaction():
        _run(conn, "DELETE FROM apm.member_groups WHERE member = %s", (login,))
        for group in sorted(set(groups)):
            _run(
                conn,
                "INSERT INTO apm.member_groups (member, group_name) VALUES (%s, %s)",
                (login, group),
            )
    return login


@dataclass(frozen=True)
class Scope:
    """Which customers are in which groups, and who is limited to which groups."""

    groups: dict[str, list[str]]
    members: dict[str, list[str]]


def scope(conn: Connection) -> Scope:
    """The team's scope as the current member may see it."""
    groups: dict[str, list[str]] = {}
    for group, customer in _run(
        conn,
        "SELECT g.group_name, c.name FROM apm.customer_groups g "
        "JOIN apm.customers c ON c.id = g.customer_id ORDER BY 1, lower(c.name)",
    ):
        groups.setdefault(group, []).append(customer)
    members: dict[str, list[str]] = {}
    for member, group in _run(
        conn, "SELECT member, group_name FROM apm.member_groups ORDER BY 1, 2"
    ):
        members.setdefault(member, []).append(group)
    return Scope(groups, members)


def current_role(conn: Connection) -> str:
    """The current member's strongest team role: owner, admin, technician, readonly or none."""
    rows = _run(
        conn,
        "SELECT pg_catalog.pg_get_userbyid(d.datdba) = session_user "
        "FROM pg_database d WHERE d.datname = current_database()",
    )
    if rows and rows[0][0]:
        return "owner"
    for name in ("admin", "technician", "readonly"):
        held = _run(
            conn,
            "SELECT pg_has_role(session_user, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (ROLES[name], ROLES[name]),
        )
        if held and held[0][0]:
            return name
    return "none"


def my_groups(conn: Connection) -> list[str]:
    rows = _run(
        conn,
        "SELECT group_name FROM apm.member_groups WHERE member = session_user ORDER BY 1",
    )
    return [str(r[0]) for r in rows]
