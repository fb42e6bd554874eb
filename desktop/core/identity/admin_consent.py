"""Admin consent through the system browser and our own loopback listener.

The request goes to ``{authority}/{tenant}/v2.0/adminconsent`` with the app's client ID and
``https://{graph host}/.default``; the answer comes back to ``http://localhost:{port}/consent``.
``error`` is checked before ``admin_consent`` (Microsoft sends both on errors), and the
returned ``tenant`` must be the one asked for.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from desktop.core.cancel import CancelToken, Progress, no_progress
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.browser import BrowserOpener, open_system_browser
from desktop.core.identity.consent_errors import consent_error
from desktop.core.identity.loopback import BrowserPage, LoopbackListener
from desktop.core.identity.tokens import aadsts_codes

CONSENT_PATH = "/consent"
DEFAULT_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class AdminConsentResult:
    """A granted admin consent: the tenant that answered and the scope it granted."""

    tenant_id: str
    scope: str


def admin_consent_url(
    endpoints: Endpoints, tenant: str, client_id: str, redirect_uri: str, state: str
) -> str:
    """The URL an administrator opens to grant tenant-wide consent."""
    if tenant.strip().lower() == "common":
        raise UserError("Admin consent needs a tenant ID or domain, not 'common'.")
    query = urlencode(
        {
            "client_id": client_id,
            "scope": endpoints.graph_default_scope,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{endpoints.admin_consent_url(tenant)}?{query}"


def interpret_answer(
    params: dict[str, str], tenant_id: str, tenant_label: str
) -> tuple[BrowserPage, object]:
    """What the redirect means: a result, or a UserError. ``error`` wins over admin_consent."""
    error = params.get("error", "")
    if error:
        problem = consent_error(
            error,
            params.get("error_description", ""),
            aadsts_codes(params),
            tenant_label,
            params.get("error_subcode", ""),
        )
        return BrowserPage(False, "Consent was not granted", problem.one_line()), problem
    if params.get("admin_consent", "").lower() != "true":
        problem = UserError(
            "The answer from Microsoft was incomplete: it neither granted consent nor gave "
            "an error.",
            remedy="Start the consent again.",
            detail=f"parameters: {', '.join(sorted(params))}",
        )
        return BrowserPage(False, "Consent result unclear", problem.message), problem
    returned = params.get("tenant", "").strip().lower()
    if returned != tenant_id.strip().lower():
        problem = UserError(
            f"Consent was granted in a different tenant ({returned or 'none named'}), not in "
            f"{tenant_label}.",
            remedy=f"Sign in with an administrator account of {tenant_label} and consent "
            "again. Nothing was saved.",
        )
        return BrowserPage(False, "Consent went to another tenant", problem.message), problem
    page = BrowserPage(True, "Consent granted", f"The permissions were granted in {tenant_label}.")
    return page, AdminConsentResult(returned, params.get("scope", ""))


def run_admin_consent(
    endpoints: Endpoints,
    tenant_id: str,
    client_id: str,
    *,
    tenant_label: str = "",
    timeout: float = DEFAULT_TIMEOUT_S,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
    open_browser: BrowserOpener = open_system_browser,
) -> AdminConsentResult:
    """Open the admin-consent page in the browser and wait for its answer.

    *tenant_id* is the tenant's GUID: Microsoft names the tenant by GUID in the answer.
    """
    label = tenant_label or tenant_id
    state = secrets.token_urlsafe(24)
    listener = LoopbackListener(
        CONSENT_PATH, state, lambda params: interpret_answer(params, tenant_id, label)
    )
    try:
        url = admin_consent_url(endpoints, tenant_id, client_id, listener.redirect_uri, state)
        progress(0, 0, "Waiting for the administrator to accept in the browser…")
        open_browser(url)
        outcome = listener.wait(timeout, cancel)
    finally:
        listener.close()
    assert isinstance(outcome, AdminConsentResult)
    return outcome
