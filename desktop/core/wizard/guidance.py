"""Fixed guidance the wizard shows: the custom app's redirect URI and the Entra steps for roles."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

#: Admin consent comes back to the app's loopback listener on this path; Microsoft ignores the
#: port for localhost, so one registration serves every run.
CUSTOM_APP_REDIRECT_URI = "http://localhost/consent"

CUSTOM_APP_REDIRECT_NOTE = (
    "A custom app with delegated permissions needs a redirect URI and ID tokens. In the "
    "Microsoft Entra admin center, open the app's Authentication page, add the Web platform "
    "redirect URI below, and under Implicit grant and hybrid flows tick ID tokens."
)

AOS_MODERN_ONLY = (
    "Modern mode is used: AOS services are set up in modern mode only, so there is no setup "
    "method to choose. The apps each service uses are listed on the next step, and you "
    "consent to each app separately. Custom and classic app profiles for AOS services cannot "
    "be created here."
)


def custom_app_name(application_id: str) -> str:
    """How the role steps name the customer's own app (custom mode): by its application ID,
    the one thing the technician typed that Entra's search finds."""
    typed = application_id.strip()
    if typed:
        return f"the customer's own app, application ID {typed}"
    return "the customer's own app (its application ID, as entered under Setup method)"


def entra_role_steps(role_name: str, app_name: str, tenant: str) -> list[str]:
    """How to assign a directory role to an app by hand, step by step."""
    return [
        f"Sign in to the Microsoft Entra admin center (entra.microsoft.com) as a Privileged "
        f"Role Administrator or Global Administrator of {tenant}.",
        "Go to Identity > Roles & admins > Roles & admins.",
        f"Search for and open {role_name}.",
        "Select Add assignments, then Select member(s).",
        f"Search for {app_name} (the enterprise application), select it, and choose Select.",
        "Choose Next, keep the assignment type Active and Permanently assigned, type a "
        "justification, and choose Assign.",
    ]


AZURE_ROLE_STEPS = [
    "In the Azure portal, open each subscription the service manages.",
    "Go to Access control (IAM) > Add > Add role assignment.",
    "Choose the role, then Members > Select members, and pick the app (enterprise application).",
    "Choose Review + assign. Repeat for every role listed below.",
]


def consent_link_note(link: str) -> str:
    """What the customer's administrator sees after accepting *link*, and what to do next."""
    query = parse_qs(urlsplit(link).query)
    redirect = (query.get("redirect_uri") or [""])[0]
    host = urlsplit(redirect).hostname or ""
    if host in ("localhost", "127.0.0.1") or not host:
        landing = (
            "After they accept, their browser tries to open a local address (localhost) and "
            "shows an error such as “This site can't be reached”. That is expected: the consent "
            "is already granted at that point."
        )
    else:
        landing = f"After they accept, their browser shows a page of {host}."
    return (
        "Consent link copied. Send it to the customer's Global Administrator (or Privileged "
        f"Role Administrator). {landing} Then choose Check again: it checks the tenant until "
        "the consent appears."
    )
