"""Step 4 of the wizard: one consent row per app, and what may happen to each row.

Controllers run the browser round trips and checks; these methods record what they report and
say what a row still needs before its Authenticate button may be pressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import Cloud, Status, utc_now
from desktop.core.errors import UserError
from desktop.core.wizard.guidance import consent_link_note
from desktop.core.wizard.state import ConsentRow, ConsentState, WizardState, normalize_guid


class ConsentRows:
    """The consent rows of a wizard run (mixed into the step machine).

    Attributes:
        state: the run's state; ``state.rows`` is rebuilt by the machine.
    """

    def __init__(self, state: WizardState, client_ids: Mapping[str, str]) -> None:
        self.state = state
        #: Publisher client IDs by cloud value, then app type id (Global: the given ones).
        self._client_ids: dict[str, dict[str, str]] = {"global": dict(client_ids)}

    def set_client_ids(self, client_ids: Mapping[str, str], cloud: str = "global") -> None:
        """The organization's publisher client IDs in *cloud* (from Settings or the catalog
        override), read off the GUI thread."""
        known = self._client_ids.setdefault(cloud, {})
        known.update({k: v for k, v in client_ids.items() if v.strip()})

    def row(self, app_id: str) -> ConsentRow:
        for row in self.state.rows:
            if row.app_id == app_id:
                return row
        raise KeyError(app_id)

    def client_id(self, row: ConsentRow) -> str | None:
        """The application (client) ID the consent is for: the publisher's or the custom app's."""
        if row.mode is SetupMode.CUSTOM:
            return normalize_guid(self.state.custom.application_id)
        # Client IDs are per cloud: a Global registration is unknown in a national cloud.
        cloud = self.state.tenant.cloud.value if self.state.tenant else "global"
        shipped = row.app.client_id if cloud == "global" else None
        return self._client_ids.get(cloud, {}).get(row.app_id) or shipped or None

    def set_method(self, app_id: str, method: ConsentMethod) -> None:
        row = self.row(app_id)
        method = ConsentMethod(method)
        if method is ConsentMethod.USER and not row.offers_user_consent:
            raise UserError(
                f"{row.app.label} needs administrator consent.",
                remedy="Ask the customer's Global Administrator to consent.",
            )
        row.method = method

    def set_functions(self, app_id: str, function_ids: Iterable[str]) -> None:
        """Choose the functions that will use a delegated app (Cloud Backup for Microsoft 365)."""
        row = self.row(app_id)
        known = {f.id for f in row.app.functions}
        chosen = tuple(dict.fromkeys(function_ids))
        unknown = [f for f in chosen if f not in known]
        if unknown:
            raise UserError(f"{row.app.label} has no function {', '.join(unknown)}.")
        if row.state is ConsentState.GRANTED and set(chosen) != set(row.functions):
            # The consent covered the old choice; seed 000 says a change needs re-authorization.
            row.state = ConsentState.PENDING
            row.message = "The functions changed: authenticate again."
        row.functions = tuple(f.id for f in row.app.functions if f.id in chosen)

    def authenticate_blockers(self, app_id: str) -> list[str]:
        """Why the row's Authenticate (or Copy consent link) cannot start yet; empty if it can."""
        row = self.row(app_id)
        out: list[str] = []
        if self.state.tenant is None:
            out.append("Choose the tenant first.")
        if row.state is ConsentState.IN_PROGRESS:
            out.append("A consent is already in progress.")
        if row.needs_functions and not row.functions:
            out.append("Choose at least one function that will use this app.")
        if self.client_id(row) is None:
            if row.mode is SetupMode.CUSTOM:
                out.append("Enter the custom app's application ID on the Setup method step.")
            elif self.state.tenant is not None and self.state.tenant.cloud is not Cloud.GLOBAL:
                cloud = self.state.tenant.cloud.label
                out.append(
                    f"The client ID of the {row.app.label} app in the {cloud} cloud is not set. "
                    f"Set it in Settings: the {cloud} cloud needs its own app registration."
                )
            else:
                out.append(
                    f"The client ID of the {row.app.label} app is not set. "
                    "Set it in Settings (your organization's publisher app)."
                )
        return out

    def start_consent(self, app_id: str) -> None:
        blockers = self.authenticate_blockers(app_id)
        if blockers:
            raise UserError(blockers[0])
        row = self.row(app_id)
        row.state, row.message, row.detail = ConsentState.IN_PROGRESS, "Waiting for consent…", ""

    def start_check(self, app_id: str) -> None:
        """ "Check again": verify whether the consent now exists in the tenant."""
        row = self.row(app_id)
        if row.state is ConsentState.IN_PROGRESS:
            raise UserError("A consent or check is already in progress for this app.")
        row.state, row.message = ConsentState.IN_PROGRESS, "Checking the tenant…"

    def consent_granted(
        self,
        app_id: str,
        *,
        consenting_user: str = "",
        at: datetime | None = None,
        status: Status = Status.UNKNOWN,
        reason: str = "",
        message: str = "",
        certificate_ref: str = "",
        baseline: tuple[str, ...] = (),
        remedy: str = "",
        checked_at: datetime | None = None,
    ) -> None:
        """Record a consent and the first status the engine's verification found (*at* and
        *checked_at* as the engine stamped them; now when it did not say)."""
        row = self.row(app_id)
        row.certificate_ref = certificate_ref
        row.baseline = baseline
        row.state = ConsentState.GRANTED
        row.consenting_user = consenting_user
        row.consented_at = at or utc_now()
        row.status, row.status_reason, row.status_remedy = status, reason, remedy
        row.checked_at = checked_at or row.consented_at
        row.detail = ""
        who = f" by {consenting_user}" if consenting_user else ""
        row.message = message or f"Consent granted{who}."
        self.state.granted_app_ids.add(app_id)

    def consent_declined(self, app_id: str, message: str, detail: str = "") -> None:
        row = self.row(app_id)
        row.state, row.message, row.detail = ConsentState.DECLINED, message, detail

    def consent_failed(self, app_id: str, message: str, detail: str = "") -> None:
        row = self.row(app_id)
        row.state, row.message, row.detail = ConsentState.FAILED, message, detail

    def consent_not_found(self, app_id: str, message: str = "") -> None:
        """A check found no consent (yet): wait for the customer's admin, if a link went out."""
        row = self.row(app_id)
        row.state = ConsentState.WAITING if row.link_copied else ConsentState.PENDING
        row.message = message or "No consent in the tenant yet. Check again later."

    def consent_interrupted(self, app_id: str) -> None:
        """The technician cancelled the wait; the row goes back to where it was."""
        row = self.row(app_id)
        row.state = ConsentState.WAITING if row.link_copied else ConsentState.PENDING
        row.message = (
            "Stopped waiting. Choose Check again once the administrator has accepted."
            if row.link_copied
            else "Cancelled. Authenticate again when ready."
        )

    def link_copied(self, app_id: str, link: str = "") -> None:
        """The consent link went to the customer's admin; "Check again" verifies it later."""
        row = self.row(app_id)
        row.link_copied = True
        row.link = link or row.link
        if row.state in (
            ConsentState.PENDING,
            ConsentState.DECLINED,
            ConsentState.FAILED,
            ConsentState.WAITING,
        ):
            row.state = ConsentState.WAITING
            row.message = consent_link_note(row.link)

    def defer(self, app_id: str) -> None:
        """Finish this app later: it is saved as not yet consented."""
        row = self.row(app_id)
        if row.state in (ConsentState.GRANTED, ConsentState.IN_PROGRESS):
            raise UserError(f"{row.app.label} cannot be deferred now.")
        row.state, row.message = ConsentState.DEFERRED, "Deferred: consent later."

    def skip(self, app_id: str) -> None:
        """This customer does not need this app: Save creates no profile for it."""
        row = self.row(app_id)
        if row.state in (ConsentState.GRANTED, ConsentState.IN_PROGRESS):
            raise UserError(f"{row.app.label} cannot be skipped now.")
        row.state, row.message = ConsentState.SKIPPED, "Not needed: no app profile is created."

    def undefer(self, app_id: str) -> None:
        """Undo Defer or Skip."""
        row = self.row(app_id)
        if row.state in (ConsentState.DEFERRED, ConsentState.SKIPPED):
            row.state = ConsentState.WAITING if row.link_copied else ConsentState.PENDING
            row.message = ""

    def _consent_blockers(self) -> list[str]:
        running = [r.app.label for r in self.state.rows if r.state is ConsentState.IN_PROGRESS]
        open_ = [
            r.app.label
            for r in self.state.rows
            if not r.state.settled and r.state is not ConsentState.IN_PROGRESS
        ]
        out: list[str] = []
        if running:
            out.append(f"Wait for the consent to finish, or cancel it: {', '.join(running)}.")
        if open_:
            out.append(f"Consent to each app, or defer it: {', '.join(open_)}.")
        return out

    def _custom_app_changed(self) -> None:
        """A granted custom consent was for another application ID: authenticate again."""
        for row in self.state.rows:
            if row.mode is SetupMode.CUSTOM and row.state is ConsentState.GRANTED:
                row.state = ConsentState.PENDING
                row.message = "The application ID changed: authenticate again."
