"""A local identity provider that speaks the Microsoft identity platform protocol.

Used by the tests and by ``app-profiles --sandbox`` to try the whole app without a real tenant.
No Qt here. See :class:`desktop.sandbox.server.Sandbox` and
:class:`desktop.sandbox.scenarios.Scenario`.
"""

from __future__ import annotations

from desktop.sandbox.server import Sandbox

__all__ = ["Sandbox"]
