"""Rows the storage interface returns besides the domain objects (no backend here)."""

from __future__ import annotations

from typing import NamedTuple


class ProfileRow(NamedTuple):
    """One line of the profile list: names already joined in, times as ISO 8601 UTC text."""

    id: int
    name: str
    customer: str
    tenant_id: str
    tenant_domain: str
    services: tuple[str, ...]
    app_type_id: str
    mode: str
    status: str
    reason: str
    last_checked: str | None
    #: When the consent was given, and by whom (user consent); empty when not known.
    consented_at: str | None = None
    consenting_user: str = ""
    #: The tenant's cloud (a :class:`~desktop.core.domain.Cloud` value): which client ID a
    #: fix in Settings is for.
    cloud: str = "global"


class ProfileRef(NamedTuple):
    """Just enough of a profile to delete it."""

    id: int
    name: str
    app_type_id: str
    certificate_ref: str
