"""Checks use the publisher's client ID of the tenant's own cloud (registrations are per cloud)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.catalog.model import AppType
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants, TokenError
from desktop.core.domain import Cloud
from desktop.core.endpoints import Endpoints
from tests.helpers.check_fakes import FakeCredentials, ScriptedGateway, profile, small_catalog


@dataclass
class _Recording(ScriptedGateway):
    asked: list[tuple[Cloud, str]] = field(default_factory=list)

    def publisher_grants(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        *,
        with_roles: bool = True,
        user: str = "",
    ) -> Grants | TokenError | None:
        self.asked.append((endpoints.cloud, client_id))
        return super().publisher_grants(
            endpoints, tenant_id, client_id, with_roles=with_roles, user=user
        )


def _ids(app: AppType, cloud: Cloud) -> str | None:
    return {Cloud.GLOBAL: "global-id", Cloud.USGOV_DOD: "dod-id"}.get(cloud)


def test_the_tenant_s_cloud_picks_the_client_id() -> None:
    gateway = _Recording()
    check = ProfileChecker(small_catalog(), gateway, FakeCredentials(), client_id_in=_ids)
    check.check(profile("hybrid-app"), Cloud.USGOV_DOD)
    check.check(profile("hybrid-app"), Cloud.GLOBAL)
    assert gateway.asked == [(Cloud.USGOV_DOD, "dod-id"), (Cloud.GLOBAL, "global-id")]


def test_a_cloud_without_its_own_registration_is_not_checked_with_another_s() -> None:
    gateway = _Recording()
    check = ProfileChecker(small_catalog(), gateway, FakeCredentials(), client_id_in=_ids)
    result = check.check(profile("hybrid-app"), Cloud.CHINA)
    assert result.transient and "no client ID is set" in result.reason
    assert gateway.asked == []
