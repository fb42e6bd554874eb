"""Stand-ins for the wizard's ports in widget tests (the e2e tests use the real sandbox)."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field

from desktop.controllers.wizard import WizardServices
from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import AppProfile, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard.plan import SavePlan
from desktop.core.wizard.ports import ConsentOutcome, ConsentRequest, Directory, ProfileSaver

TENANT_ID = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"


@dataclass
class ScriptedEngine:
    """Answers consents from a script per app id; an app with no script is granted.

    ``hold`` makes consent() wait until released or cancelled (a browser still open).
    """

    script: dict[str, list[ConsentOutcome]] = field(default_factory=dict)
    requests: list[ConsentRequest] = field(default_factory=list)
    hold: threading.Event | None = None
    #: Answers for Check again by app id (then ``script``); ``checks`` counts the calls.
    check_script: dict[str, list[ConsentOutcome]] = field(default_factory=dict)
    checks: int = 0

    def consent_link(self, request: ConsentRequest) -> str:
        return f"https://login.example/{request.tenant.tenant_id}/adminconsent?client_id={request.client_id}"

    def consent(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        self.requests.append(request)
        progress(0, 0, "Waiting for consent in the browser…")
        if self.hold is not None:
            while not self.hold.is_set():
                token.raise_if_cancelled()
                token.wait(0.01)
        queue = self.script.get(request.app.id)
        if queue:
            return queue.pop(0)
        return ConsentOutcome(True, consenting_user="admin@contoso.com", status=Status.VALID)

    def check(
        self, request: ConsentRequest, token: CancelToken, progress: Progress
    ) -> ConsentOutcome:
        self.checks += 1
        queue = self.check_script.get(request.app.id)
        if queue:
            return queue.pop(0)
        return self.consent(request, token, progress)


@dataclass
class RecordingSaver:
    """Records each plan; passes it on to a real saver when given one."""

    real: ProfileSaver | None = None
    plans: list[SavePlan] = field(default_factory=list)

    def __call__(self, plan: SavePlan, certificate: object | None) -> list[AppProfile]:
        self.plans.append(plan)
        if self.real is not None:
            return self.real(plan, certificate)
        saved = [
            dataclasses.replace(p, id=len(self.plans) * 100 + i)
            for i, p in enumerate(plan.profiles)
        ]
        return saved


@dataclass
class FakeRoles:
    assigned: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False

    def assign(
        self, tenant: Tenant, client_id: str, role_name: str, token: CancelToken, progress: Progress
    ) -> str:
        if self.fail:
            raise UserError(
                "You are not allowed to assign roles.",
                remedy="Sign in as a Privileged Role Administrator.",
            )
        self.assigned.append((client_id, role_name))
        return f"{role_name} is assigned and verified."


def directory() -> Directory:
    contoso = Customer("Contoso", aos_service_ids=("cloud-backup-m365", "insights"), id=1)
    fabrikam = Customer("Fabrikam", id=2)
    tenant = Tenant(TENANT_ID, 1, primary_domain="contoso.onmicrosoft.com")
    return Directory((contoso, fabrikam), (tenant,))


def services(
    engine: ScriptedEngine | None = None,
    saver: RecordingSaver | None = None,
    roles: FakeRoles | None = None,
) -> WizardServices:
    return WizardServices(
        engine=engine or ScriptedEngine(),
        load_directory=directory,
        lookup_tenant=lambda domain, cloud: "11111111-2222-4333-8444-555555555555",
        save=saver or RecordingSaver(),
        roles=roles or FakeRoles(),
    )
