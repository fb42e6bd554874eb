"""Organization settings kept as JSON in the data folder (client IDs, check concurrency).

These are settings the CLI and GUI share, so they live in core, not in ``QSettings``. Window
geometry and other per-screen state stay in ``QSettings``. No secret is ever stored here.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import UserError


@dataclass
class Settings:
    """Settings shared by the GUI and the CLI."""

    #: Client ID of the technician's sign-in app (public client) in the Global cloud.
    sign_in_client_id: str = ""
    #: Publisher client IDs by app type id in the Global cloud; override the catalog's.
    client_ids: dict[str, str] = field(default_factory=dict)
    #: National clouds need their own registrations: the sign-in app's client ID by cloud
    #: (``usgov``, ``usgov-dod``, ``china``) ...
    cloud_sign_in_client_ids: dict[str, str] = field(default_factory=dict)
    #: ... and publisher client IDs by cloud, then by app type id.
    cloud_client_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    #: How many profiles a bulk check works on at once.
    check_concurrency: int = 8
    #: How long a consent in the browser may take, in seconds.
    consent_timeout_seconds: int = 300
    #: Where a copied consent link sends the customer's administrator after they accept: an
    #: https page of the organization, registered as a redirect URI on every publisher app.
    #: Empty: ``http://localhost/consent`` (their browser then shows an unreachable page).
    consent_link_redirect_uri: str = ""
    #: The browser program sign-ins and consents open in; empty: the system default.
    browser: str = ""
    #: The team database (a libpq URL without password); empty: the local store.
    #: APP_PROFILES_DATABASE_URL, when set, wins.
    team_database_url: str = ""

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read *path*; a missing file gives defaults, a corrupt one a one-line error."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:  # ValueError: bad JSON, not UTF-8, huge numbers
            raise _bad(path, f"cannot be read: {exc}") from exc
        except RecursionError as exc:
            raise _bad(path, "cannot be read: it is nested far too deeply") from exc
        if not isinstance(raw, dict):
            raise _bad(path, "does not hold a JSON object")
        known: dict[str, Any] = {}
        for key, check in _CHECKS.items():
            if key in raw:
                try:
                    known[key] = check(raw[key])
                except ValueError as exc:
                    raise _bad(path, f'has a bad "{key}": {exc}') from None
        return cls(**known)

    def sign_in_client_id_in(self, cloud: str) -> str:
        """The sign-in app's client ID set for *cloud* (a Cloud value), or ""."""
        if cloud == "global":
            return self.sign_in_client_id
        return str(self.cloud_sign_in_client_ids.get(cloud) or "")

    def client_ids_in(self, cloud: str) -> dict[str, str]:
        """Publisher client IDs set for *cloud*, by app type id."""
        if cloud == "global":
            return dict(self.client_ids)
        ids = self.cloud_client_ids.get(cloud)
        return dict(ids) if isinstance(ids, dict) else {}

    def save(self, path: Path) -> None:
        """Write atomically, so a crash or full disk never leaves half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(asdict(self), indent=2, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise UserError(
                f"The settings could not be saved to {path}: {exc.strerror or exc}.",
                remedy="Check free disk space and the folder's permissions, then try again.",
            ) from exc


def _bad(path: Path, problem: str) -> UserError:
    return UserError(
        f"The settings file {path} {problem}.",
        remedy="Fix or delete the file; defaults are used until then.",
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"it must be text, not {_kind(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("it holds a character that is not valid Unicode") from None
    if len(value) > 2048 or not value.isprintable():
        raise ValueError("it must be one line of at most 2048 characters")
    return value


def _text_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"it must map names to text, not {_kind(value)}")
    return {_text(k): _text(v) for k, v in value.items()}


def _cloud_maps(value: object) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise ValueError(f"it must map clouds to client IDs, not {_kind(value)}")
    return {_text(k): _text_map(v) for k, v in value.items()}


def _whole(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"it must be a whole number, not {_kind(value)}")
        if not low <= value <= high:
            raise ValueError(f"it must be from {low} to {high}")
        return value

    return check


def _kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
    if value is None:
        return "null"
    if isinstance(value, float):
        return f"the number {value}"
    return kinds.get(type(value), "a number")


#: How each setting is checked; a setting the file does not name keeps its default.
_CHECKS: dict[str, Callable[[object], Any]] = {
    "sign_in_client_id": _text,
    "client_ids": _text_map,
    "cloud_sign_in_client_ids": _text_map,
    "cloud_client_ids": _cloud_maps,
    "check_concurrency": _whole(1, 64),
    "consent_timeout_seconds": _whole(1, 24 * 3600),
    "consent_link_redirect_uri": _text,
    "browser": _text,
    "team_database_url": _text,
}
