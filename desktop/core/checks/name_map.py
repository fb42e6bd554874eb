"""The names of first-party APIs' app roles and scopes, by ID, cached per cloud on disk.

A first-party API's appRole and scope IDs (Microsoft Graph, Exchange Online, SharePoint, …) are
the same in every tenant of a cloud; only the API's service principal *object* ID differs per
tenant (field notes, "App role IDs are global"). So a check reads the names once per cloud and
keeps them in the data folder (``graph-names/{cloud}.json``, written atomically; IDs and names
only, no secret). An API's names are read again when they are older than a week, or when an
app role ID that they do not list turns up (at most once per API per run, however many profiles
show it). Thread-safe.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

#: Names older than this are read again.
MAX_AGE = 7 * 24 * 3600.0
_VERSION = 1


@dataclass
class ApiNames:
    """One API's app role and scope names by ID, and when they were read (epoch seconds)."""

    fetched: float
    roles: dict[str, str] = field(default_factory=dict)
    scopes: dict[str, str] = field(default_factory=dict)


class NameMapCache:
    """appRole/scope names per cloud and API; kept in *folder* (memory only when None)."""

    def __init__(self, folder: Path | None = None, *, clock: Callable[[], float] = time.time):
        self._folder = folder
        self._clock = clock
        self._lock = threading.Lock()
        self._clouds: dict[str, dict[str, ApiNames]] = {}
        #: (cloud, API) read again in this run because of an unknown ID.
        self._refreshed: set[tuple[str, str]] = set()

    def _file(self, cloud: str) -> Path | None:
        return self._folder / f"{cloud}.json" if self._folder is not None else None

    def _apis(self, cloud: str) -> dict[str, ApiNames]:
        """The cloud's names (read from disk the first time); call with the lock held."""
        known = self._clouds.get(cloud)
        if known is None:
            known = self._clouds[cloud] = _read(self._file(cloud))
        return known

    def known_apis(self, cloud: str) -> list[str]:
        """Every API (resource application ID) whose names this cloud's cache holds."""
        with self._lock:
            return sorted(self._apis(cloud))

    def fresh(self, cloud: str, api: str) -> bool:
        """Whether *api*'s names are cached and younger than a week."""
        with self._lock:
            names = self._apis(cloud).get(api.lower())
            return names is not None and self._clock() - names.fetched < MAX_AGE

    def role_names(self, cloud: str, api: str) -> Mapping[str, str]:
        with self._lock:
            names = self._apis(cloud).get(api.lower())
            return dict(names.roles) if names else {}

    def may_refresh(self, cloud: str, api: str) -> bool:
        """True the first time in this run an unknown ID asks to read *api*'s names again."""
        with self._lock:
            key = (cloud, api.lower())
            if key in self._refreshed:
                return False
            self._refreshed.add(key)
            return True

    def store(
        self, cloud: str, api: str, roles: Mapping[str, str], scopes: Mapping[str, str]
    ) -> None:
        """Keep *api*'s names as read now, and write the cloud's file."""
        with self._lock:
            apis = self._apis(cloud)
            apis[api.lower()] = ApiNames(self._clock(), dict(roles), dict(scopes))
            _write(self._file(cloud), apis)


def names_of(service_principal: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """The app role and scope names of a resource service principal, by ID."""

    def by_id(key: str) -> dict[str, str]:
        listed = service_principal.get(key)
        found: dict[str, str] = {}
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, dict) and item.get("id") and item.get("value"):
                found[str(item["id"]).lower()] = str(item["value"])
        return found

    return by_id("appRoles"), by_id("oauth2PermissionScopes")


def _read(path: Path | None) -> dict[str, ApiNames]:
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        apis = data["apis"] if data.get("version") == _VERSION else {}
        return {
            str(api).lower(): ApiNames(
                float(v["fetched"]),
                {str(k): str(n) for k, n in v.get("roles", {}).items()},
                {str(k): str(n) for k, n in v.get("scopes", {}).items()},
            )
            for api, v in apis.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # A damaged cache is only a cache: the names are read again.
        log.warning("app role names cache %s unreadable, reading the names again: %s", path, exc)
        return {}


def _write(path: Path | None, apis: Mapping[str, ApiNames]) -> None:
    if path is None:
        return
    data = {
        "version": _VERSION,
        "apis": {
            api: {"fetched": n.fetched, "roles": n.roles, "scopes": n.scopes}
            for api, n in sorted(apis.items())
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        # Not being able to keep the names costs a read next time, never a check.
        log.warning("app role names cache %s could not be written: %s", path, exc)
