"""Certificates' public dates, kept so the profile list warns of expiry without opening secrets.

A ``certificate_ref`` names one certificate for good (a new certificate gets a new ref), so
its validity and SHA-1 thumbprint, once read, never change. They are kept in the data folder's
:data:`FILE_NAME`: only what the certificate itself shows anyone (never key bytes, passwords
or the certificate's encoding), so a list of 100,000 profiles paints from a dictionary and no
keyring, vault or team secret is touched per row.

A ref not in the file yet is asked of the secret store once, off the GUI thread, and
remembered: a store with public dates (the team store keeps them beside the ciphertext, so
a certificate not shared with this technician yet has them too) answers without opening it;
otherwise the certificate is read (the local vault). One that cannot be read (locked
keyring) gets no badge here: the expiry view says why. The file is a cache: damaged or
unwritable, it is rebuilt.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.errors import UserError
from desktop.core.secrets.expiry import (
    CertificateDates,
    CertificateExpiry,
    HasPublicDates,
    base_of,
    dated,
)
from desktop.core.secrets.store import SecretStore
from desktop.core.storage.types import ProfileRow

log = logging.getLogger(__name__)

__all__ = ["FILE_NAME", "CertificateDates", "DatesFile", "HasPublicDates", "list_expiries"]

#: The file in the data folder.
FILE_NAME = "certificate-dates.json"


class DatesFile:
    """:data:`FILE_NAME` under a data folder: ``{ref: {not_before, not_after, thumbprint}}``."""

    def __init__(self, root: Path) -> None:
        self.path = root / FILE_NAME

    def read(self) -> dict[str, CertificateDates]:
        """The dates known (an empty map for a missing or damaged file)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("certificate dates unreadable, reading them again: %s", exc)
            return {}
        known: dict[str, CertificateDates] = {}
        if not isinstance(raw, dict):
            return known
        for ref, entry in raw.items():
            try:
                known[str(ref)] = CertificateDates(
                    _when(entry["not_before"]),
                    _when(entry["not_after"]),
                    str(entry["thumbprint_sha1"]),
                )
            except (KeyError, TypeError, ValueError):
                continue  # one bad entry is read again, the rest kept
        return known

    def write(self, known: dict[str, CertificateDates]) -> None:
        """Replace the file with *known* (atomically; a failure is logged, never raised)."""
        data = {
            ref: {
                "not_before": d.not_before.isoformat(),
                "not_after": d.not_after.isoformat(),
                "thumbprint_sha1": d.thumbprint_sha1,
            }
            for ref, d in sorted(known.items())
        }
        # One part file per writer: two loads finishing together never mix their files.
        part = self.path.with_name(f"{self.path.name}.{os.getpid()}-{threading.get_ident()}.part")
        try:
            part.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(part, self.path)
        except OSError as exc:
            log.warning("could not keep the certificate dates: %s", exc)
            part.unlink(missing_ok=True)


def _dates_of(store: SecretStore, ref: str) -> CertificateDates:
    """*ref*'s dates: the store's public ones, else read from the certificate."""
    if isinstance(store, HasPublicDates):
        known = store.public_dates(ref)
        if known is not None:
            return known
    info = store.info(ref)
    return CertificateDates(info.not_before, info.not_after, info.thumbprint_sha1)


def _when(value: object) -> datetime:
    when = datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def list_expiries(
    holders: Iterable[tuple[ProfileRow, str]],
    store: SecretStore | Callable[[], SecretStore],
    dates: DatesFile,
    now: datetime | None = None,
) -> dict[int, CertificateExpiry]:
    """Each custom profile's certificate expiry by profile id, from the dates known; a ref
    not known yet is asked of *store* once and remembered. Profiles without a readable
    certificate are left out. Dates of certificates no profile holds any more are dropped.

    *store* may be a function that opens it: then it is opened only when a ref is not known
    yet (no keyring or team database is asked when every date is), and only once.
    """
    opened: list[SecretStore | UserError] = []

    def secrets() -> SecretStore:
        if not opened:
            try:
                opened.append(store() if callable(store) else store)
            except UserError as exc:
                opened.append(exc)  # not asked again for every ref of this load
        found = opened[0]
        if isinstance(found, UserError):
            raise found
        return found

    now = now or datetime.now(UTC)
    known = dates.read()
    held: dict[str, CertificateDates] = {}
    found: dict[int, CertificateExpiry] = {}
    changed = False
    for row, ref in holders:
        if not ref:
            continue
        entry = held.get(ref) or known.get(ref)
        if entry is None:
            try:
                entry = _dates_of(secrets(), ref)
            except UserError as exc:
                log.info("no expiry for profile %s in the list: %s", row.id, exc.one_line())
                continue
            changed = True
        held[ref] = entry
        item = dated(base_of(row), entry.not_before, entry.not_after, now)
        found[row.id] = replace(item, thumbprint_sha1=entry.thumbprint_sha1)
    if changed or set(held) != set(known):
        dates.write(held)
    return found
