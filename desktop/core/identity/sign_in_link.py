"""The consent link that connects a customer tenant: the admin-consent URL of the MSP's sign-in
app, for the customer's administrator to open (the route when the technician cannot use
Partner Center, and nobody with the right role is at hand to consent in this browser)."""

from __future__ import annotations

from urllib.parse import urlsplit

from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.admin_consent import admin_consent_url
from desktop.core.identity.consent import LOCAL_CONSENT_REDIRECT
from desktop.core.identity.signin import TechnicianSession


def sign_in_consent_link(
    session: TechnicianSession, endpoints: Endpoints, tenant_id: str, landing: str = ""
) -> str:
    """The admin-consent URL that authorizes the sign-in app in *tenant_id*. It answers to
    *landing* (Settings' consent-link landing page) or, without one, to
    ``http://localhost/consent`` (the sign-in app's *Web* redirect). Raises UserError."""
    landing = landing.strip()
    if landing and not _allowed(landing):
        raise UserError(
            f"The consent link's landing page in Settings ({landing}) is not an https address.",
            remedy="Set consent_link_redirect_uri to an https page registered as a redirect URI "
            "on the sign-in app, or clear it to use the local address.",
        )
    client_id = session.client_id_for(endpoints)
    return admin_consent_url(
        endpoints, tenant_id, client_id, landing or LOCAL_CONSENT_REDIRECT, "link"
    )


def _allowed(uri: str) -> bool:
    # Microsoft accepts http only for localhost; anything else must be https.
    parts = urlsplit(uri)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname == "localhost"
