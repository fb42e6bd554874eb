"""Organization settings kept as JSON in the data folder (client IDs, check concurrency).

These are settings the CLI and GUI share, so they live in core, not in ``QSettings``. Window
geometry and other per-screen state stay in ``QSettings``. No secret is ever stored here.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

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

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read *path*; a missing file gives defaults, a corrupt one a clear error."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise UserError(
                f"The settings file {path} cannot be read: {exc}.",
                remedy="Fix or delete the file; defaults are used until then.",
            ) from exc
        if not isinstance(raw, dict):
            raise UserError(f"The settings file {path} does not hold a JSON object.")
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError as exc:  # pragma: no cover - dataclass rejects nothing else
            raise UserError(f"The settings file {path} is not valid: {exc}.") from exc

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
