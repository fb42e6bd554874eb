"""What the sandbox's HTTPS server was asked, counted by kind, and a delay on every answer.

Microsoft's servers answer in 100–300 ms, token and Graph alike; a benchmark that delays only
some routes rewards the wrong optimisations. :class:`Traffic` counts every request to the
identity platform and Graph (not the sandbox's own control endpoints) and, when ``latency`` is
set, holds each one back that long before it is answered. Reachable over HTTP at
``/_sandbox/traffic``: GET reads the counts, POST ``{"latency": s, "reset": true}`` changes them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

#: The kinds a request is counted as.
KINDS = ("instance_discovery", "openid_configuration", "keys", "token", "graph", "graph_batch")


def kind_of(method: str, path: str) -> str:
    """The kind of a request to *path* (its path only, no query), e.g. ``token`` or ``graph``."""
    parts = path.strip("/").split("/")
    if path.endswith("/discovery/instance"):
        return "instance_discovery"
    if path.endswith("/.well-known/openid-configuration"):
        return "openid_configuration"
    if path.endswith("/discovery/v2.0/keys"):
        return "keys"
    if path.endswith("/oauth2/v2.0/token"):
        return "token"
    if parts[0] in ("v1.0", "beta"):
        return "graph_batch" if parts[1:] == ["$batch"] else "graph"
    return "other"


class Traffic:
    """Thread-safe request counts by kind, and the delay every request gets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self.latency = 0.0

    def record(self, method: str, path: str) -> None:
        """Count one request, then wait the latency (outside the lock: requests overlap)."""
        with self._lock:
            self._counts[kind_of(method, path)] += 1
            latency = self.latency
        if latency > 0:
            time.sleep(latency)

    def counts(self) -> dict[str, int]:
        """Requests by kind since the last reset, and their ``total``."""
        with self._lock:
            counts = dict(self._counts)
        counts["total"] = sum(counts.values())
        return counts

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self.latency = max(0.0, float(seconds))
