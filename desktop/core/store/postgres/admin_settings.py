"""The team-wide numbers an admin sets, kept as columns of ``apm.schema_info``.

Each setting (the offline period, the change-log period) is one integer column that every
member may read and only ``apm_admin`` may update (the server's column grant decides, not the
client). This module reads and writes such a column and turns the server's refusal into one
line a technician understands.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, database_error


@dataclass(frozen=True)
class AdminSetting:
    """One integer column of ``apm.schema_info`` that admins set.

    Attributes:
        column: the column's name.
        default: what reading gives when the row is missing.
        maximum: the largest value an admin may set (the smallest is 0).
        what: the setting in words, for the range error ("The offline period must be ...").
        who_may: what only an admin may do, for the refusal ("Only your team's admin can ...").
    """

    column: str
    default: int
    maximum: int
    what: str
    who_may: str

    def read(self, conn: Connection) -> int:
        """The value now."""
        query = sql.SQL("SELECT {} FROM apm.schema_info").format(sql.Identifier(self.column))
        try:
            row = conn.execute(query).fetchone()
        except psycopg.Error as exc:
            raise database_error(exc) from None
        return int(row[0]) if row else self.default

    def write(self, conn: Connection, value: int) -> None:
        """Set the value (admins); out of range or refused, one clear line and no change."""
        if not 0 <= value <= self.maximum:
            raise UserError(f"{self.what} must be 0 to {self.maximum} days, not {value}.")
        query = sql.SQL("UPDATE apm.schema_info SET {} = %s").format(sql.Identifier(self.column))
        try:
            conn.execute(query, (value,))
        except psycopg.errors.InsufficientPrivilege:
            raise UserError(
                f"Only your team's admin can {self.who_may}.",
                remedy="Ask your team's admin. Nothing was changed.",
            ) from None
        except psycopg.Error as exc:
            raise database_error(exc) from None
