"""The browser-facing pages: ``/authorize`` (auto-submitting ``form_post``) and ``/adminconsent``.

The admin-consent page lists the permissions the app asks for, lets the tester pick the account
that is "signed in", and has Accept and Cancel buttons. Both redirect exactly as Microsoft does:
success ``admin_consent=True&tenant=&scope=&state=``; errors carry ``error``,
``error_description`` (AADSTS code) and also ``admin_consent=True``; Cancel is
``access_denied``/AADSTS65004 without ``tenant``.

What never goes back to the app (RFC 6749 §4.1.2.1 and Microsoft's sign-in page): an unknown
``client_id`` (700016) or a ``redirect_uri`` the app does not register (50011) end on an error
page; so do sign-in failures (another tenant's account 50020, Conditional Access 53003, a
disabled 50057 or unknown 50034 account, a single-tenant app at ``organizations`` 50194). Only
consent outcomes and protocol errors are redirected back, with ``state``.
"""

from __future__ import annotations

import html
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.sandbox.admin_only import admin_only
from desktop.sandbox.clouds import CLOUDS
from desktop.sandbox.directory import RESOURCE_NAMES, App, Directory, Tenant, User
from desktop.sandbox.faults import AADSTS
from desktop.sandbox.issuer import AuthCode, Issuer
from desktop.sandbox.registrations import platform_of
from desktop.sandbox.variants import CANCEL_SUBCODE, EXTRA_FIELDS

Page = tuple[int, dict[str, str], str]  # status, headers, HTML body

_STYLE = (
    "body{font-family:sans-serif;max-width:44rem;margin:2rem auto;color:#222}"
    "h1{font-size:1.4rem}.banner{background:#b00020;color:#fff;padding:.4rem .8rem;"
    "font-weight:bold;letter-spacing:.1em}table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;text-align:left;padding:.3rem}"
    "button{font-size:1rem;padding:.4rem 1.4rem;margin-right:1rem}"
)


@dataclass
class PageOptions:
    """Scenario switches for the pages."""

    browser_user: str = ""  # the account "signed in" in the browser
    auto_accept: bool = False  # the consent page submits Accept by itself (headless browsers)
    consent_error: int | None = None  # Accept answers with this AADSTS error instead
    reply_tenant: str = ""  # success names this tenant instead of the real one


def _document(title: str, body: str, script: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<div class='banner'>SANDBOX identity provider</div>{body}"
        f"{f'<script>{script}</script>' if script else ''}</body></html>"
    )


#: Outcomes the consent prompt itself decides: these go back to the app with ``state``.
REDIRECTED_CODES = frozenset({65004, 90094, 65001})


def error_page(code: int, text: str) -> Page:
    """Microsoft's own error page: the browser stays here, nothing reaches the app."""
    # Like Microsoft's page: the code and IDs a technician can quote or paste into the app.
    trace, correlation = uuid.uuid4(), uuid.uuid4()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = (
        f"<h1>Sign in failed</h1><p>AADSTS{code}: {html.escape(text)}</p>"
        f"<p id='details'>Request Id: {trace}<br>Correlation Id: {correlation}<br>"
        f"Timestamp: {stamp}</p><p>You can close this page.</p>"
    )
    return 400, {}, _document("Sign in failed", body)


def _spec_page(code: int, **fill: str) -> Page:
    return error_page(code, _error_params(code, **fill)["error_description"].split(": ", 1)[1])


def _registered(app: App, redirect_uri: str) -> bool:
    return platform_of(app.web_redirect_uris, app.public_redirect_uris, redirect_uri) is not None


def _redirect(uri: str, params: dict[str, str]) -> Page:
    separator = "&" if urlsplit(uri).query else "?"
    return 302, {"Location": f"{uri}{separator}{urlencode(params)}"}, ""


def _error_params(code: int, **fill: str) -> dict[str, str]:
    spec = AADSTS[code]
    text = spec.text
    for key, value in fill.items():
        text = text.replace("{" + key + "}", value)
    return {"error": spec.error, "error_description": f"AADSTS{code}: {text}"}


class Pages:
    """Builds the pages' answers from the directory, the issuer and the scenario switches."""

    def __init__(
        self, directory: Directory, issuer: Issuer, options: PageOptions | None = None
    ) -> None:
        self.directory = directory
        self.issuer = issuer
        #: Shared by the pages of every cloud (one browser, one signed-in account).
        self.options = options or PageOptions()
        self.consents_granted = 0

    def _refused(self, segment: str, client_id: str, redirect_uri: str) -> Page | None:
        """The error page for a request that must never be redirected, or None."""
        app = self.issuer.app(client_id)
        if app is None:
            return _spec_page(700016, client=client_id, tenant=segment)
        if not redirect_uri or not _registered(app, redirect_uri):
            return _spec_page(50011, client=client_id, redirect=redirect_uri)
        if segment in ("organizations", "common") and app.home_tenant:
            return _spec_page(50194, client=client_id)
        if segment not in ("organizations", "common") and self.issuer.tenant_here(segment) is None:
            return _spec_page(90002, tenant=segment)
        return None

    def _sign_in_problem(self, user: User, tenant: Tenant | None, client_id: str) -> Page | None:
        """A sign-in failure, shown on the sign-in page as Microsoft does."""
        fill = {"user": user.upn, "tenant": tenant.tenant_id if tenant else "", "client": client_id}
        if tenant is not None and user.tenant_id != tenant.tenant_id:
            return _spec_page(50020, **fill)
        if user.deleted:
            return _spec_page(50034, **fill)
        if user.disabled:
            return _spec_page(50057, **fill)
        if self.directory.tenants[user.tenant_id].cloud not in self._clouds():
            return _spec_page(50020, **fill)
        return None

    def _clouds(self) -> set[str]:
        return {c.name for c in CLOUDS.values() if c.login == self.issuer.login}

    def _browser_user(self, tenant: Tenant | None, hint: str = "") -> User | None:
        for name in (hint, self.options.browser_user):
            user = self.directory.find_user(name) if name else None
            if user is not None:
                return user
        pool = [tenant] if tenant else list(self.directory.tenants.values())
        for candidate in pool:
            for user in candidate.users.values():
                if user.admin and not user.deleted:
                    return user
        return None

    # -- /authorize -------------------------------------------------------------------------
    def authorize(self, segment: str, q: dict[str, str]) -> Page:
        client_id = q.get("client_id", "").strip().lower()
        redirect_uri = q.get("redirect_uri", "")
        refused = self._refused(segment, client_id, redirect_uri)
        if refused is not None:
            return refused
        app = self.issuer.app(client_id)
        assert app is not None
        tenant = (
            None if segment in ("organizations", "common") else self.issuer.tenant_here(segment)
        )
        state = q.get("state", "")
        user = self._browser_user(tenant, q.get("login_hint", ""))
        if user is None:
            return error_page(50034, "No account is signed in to the sandbox browser.")
        problem = self._sign_in_problem(user, tenant, client_id)
        if problem is not None:
            return problem
        answer: dict[str, str] = {}
        fill = {"user": user.upn, "tenant": segment, "client": client_id}
        fault = self.issuer.faults.take(user.tenant_id, client_id, user.upn, "authorize")
        if fault is not None:
            if fault.code not in REDIRECTED_CODES:
                return _spec_page(fault.code, **fill)
            answer = _error_params(fault.code, **fill)
        if not answer:
            answer = self._protocol_error(q)
        if not answer:
            scopes = q.get("scope", "").split()
            resource, _audience, short = self.issuer.resource_of(scopes)
            wanted = {s for s in short if s != ".default"}
            if app.home_tenant not in (None, user.tenant_id):
                return _spec_page(700016, client=client_id, tenant=user.tenant_id)
            to_grant: dict[str, set[str]] = {}
            if (
                ".default" in short
                and resource is not None
                and (
                    q.get("prompt") == "consent"
                    or not self.directory.granted_scopes(
                        user.tenant_id, client_id, resource, user.oid
                    )
                )
            ):
                # /.default asks for every delegated permission the app is registered with.
                to_grant = {api: set(v) for api, v in app.delegated_permissions.items()}
            elif wanted and resource is not None:
                # The user accepts the consent prompt (prompt=consent, or not yet consented).
                to_grant = {RESOURCE_NAMES.get(resource, "Microsoft Graph"): wanted}
            granted = self._already_granted(user, client_id)
            needs_admin = {s for s in admin_only(to_grant) if s.casefold() not in granted}
            if needs_admin and not user.admin:
                return self._need_admin_approval(app, needs_admin, redirect_uri, state, q)
            if to_grant:
                self.directory.grant_user_consent(user.tenant_id, client_id, user.upn, to_grant)
            code = self.issuer.issue_code(
                AuthCode(
                    client_id,
                    redirect_uri,
                    user.tenant_id,
                    user.upn,
                    scopes,
                    q.get("code_challenge", ""),
                    q.get("nonce", ""),
                    time.time() + 600,
                )
            )
            if not answer:
                answer = {"code": code}
                if EXTRA_FIELDS in self.directory.variants:
                    # Entra adds the session's ID to an authorization response.
                    answer["session_state"] = str(uuid.uuid4())
        answer["state"] = state
        if q.get("response_mode") == "form_post":
            return self._form_post(redirect_uri, answer)
        return _redirect(redirect_uri, answer)

    def _protocol_error(self, q: dict[str, str]) -> dict[str, str]:
        """A malformed request's error, which goes back to the (verified) redirect URI."""
        if q.get("response_type", "") != "code":
            return {
                "error": "unsupported_response_type",
                "error_description": "AADSTS700054: response_type "
                f"'{q.get('response_type', '')}' is not enabled for the application.",
            }
        scopes = q.get("scope", "").split()
        resource, audience, _short = self.issuer.resource_of(scopes)
        if resource is None:
            return {
                "error": "invalid_resource",
                "error_description": f"AADSTS500011: The resource principal named {audience} "
                "was not found in the tenant.",
            }
        return {}

    def _already_granted(self, user: User, client_id: str) -> set[str]:
        """Delegated Graph scopes the user may already use with the app (an admin's
        tenant-wide consent covers admin-only ones)."""
        granted = self.directory.granted_scopes(user.tenant_id, client_id, GRAPH_APP_ID, user.oid)
        return {s.casefold() for s in granted}

    def _need_admin_approval(
        self, app: App, scopes: set[str], redirect_uri: str, state: str, q: dict[str, str]
    ) -> Page:
        """Microsoft's "Need admin approval" page: a user who is not an administrator cannot
        consent to permissions that need an administrator. Only the user's "return without
        consent" goes back to the app (access_denied), never by itself."""
        fields = {**_error_params(65004), "state": state}
        inputs = "".join(
            f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
            for k, v in fields.items()
        )
        method = "post" if q.get("response_mode") == "form_post" else "get"
        body = (
            f"<h1>Need admin approval</h1><p><b>{html.escape(app.display_name)}</b> needs "
            "permission to access resources in your organization that only an admin can "
            f"grant (AADSTS90094): {html.escape(', '.join(sorted(scopes)))}. Ask an admin to "
            "grant permission to this app before you can use it.</p>"
            f"<form method='{method}' id='return' action='{html.escape(redirect_uri)}'>"
            f"{inputs}<button type='submit'>Return to the application without granting "
            "consent</button></form>"
        )
        return 200, {}, _document("Need admin approval", body)

    def _form_post(self, redirect_uri: str, fields: dict[str, str]) -> Page:
        inputs = "".join(
            f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
            for k, v in fields.items()
        )
        body = (
            f"<h1>Signing you in…</h1><form method='post' id='reply' "
            f"action='{html.escape(redirect_uri)}'>{inputs}"
            "<noscript><button type='submit'>Continue</button></noscript></form>"
        )
        return 200, {}, _document("Working…", body, "document.getElementById('reply').submit();")

    # -- /adminconsent ----------------------------------------------------------------------
    def admin_consent_page(self, segment: str, q: dict[str, str]) -> Page:
        client_id = q.get("client_id", "").strip().lower()
        redirect_uri = q.get("redirect_uri", "")
        if segment == "common":
            return error_page(90130, "Admin consent needs a tenant or 'organizations'.")
        refused = self._refused(segment, client_id, redirect_uri)
        if refused is not None:
            return refused
        app = self.issuer.app(client_id)
        assert app is not None
        tenant = None if segment == "organizations" else self.issuer.tenant_here(segment)
        rows = (
            "".join(
                f"<tr><td>{html.escape(api)}</td><td>{html.escape(v)}</td><td>{kind}</td></tr>"
                for kind, perms in (
                    ("Application", app.application_permissions),
                    ("Delegated", app.delegated_permissions),
                )
                for api, values in sorted(perms.items())
                for v in sorted(values)
            )
            or "<tr><td colspan='3'>Sign in and read your profile</td></tr>"
        )
        current = self._browser_user(tenant)
        options = "".join(
            f"<option value='{html.escape(u.upn)}'"
            f"{' selected' if current and u.upn == current.upn else ''}>"
            f"{html.escape(u.upn)}</option>"
            for t in self.directory.tenants.values()
            for u in t.users.values()
        )
        hidden = "".join(
            f"<input type='hidden' name='{k}' value='{html.escape(q.get(k, ''))}'>"
            for k in ("client_id", "redirect_uri", "state", "scope")
        )
        body = (
            f"<h1>Permissions requested</h1><p><b>{html.escape(app.display_name)}</b> "
            f"wants to act in <b>{html.escape(tenant.domain if tenant else 'your organization')}"
            f"</b> with these permissions:</p><table><tr><th>API</th><th>Permission</th>"
            f"<th>Type</th></tr>{rows}</table>"
            f"<form method='post' id='consent'>{hidden}<p><label for='upn'>Signed in as</label> "
            f"<select id='upn' name='upn'>{options}</select></p>"
            "<p>Accepting grants these permissions for your whole organization.</p>"
            "<button type='submit' id='accept' name='decision' value='accept'>Accept</button>"
            "<button type='submit' id='cancel' name='decision' value='cancel'>Cancel</button>"
            "</form>"
        )
        script = (
            "var f=document.getElementById('consent');"
            "f.requestSubmit(document.getElementById('accept'));"
            if self.options.auto_accept
            else ""
        )
        return 200, {}, _document("Permissions requested", body, script)

    def admin_consent_decide(self, segment: str, form: dict[str, str]) -> Page:
        client_id = form.get("client_id", "").strip().lower()
        redirect_uri = form.get("redirect_uri", "")
        state, scope = form.get("state", ""), form.get("scope", "")
        refused = self._refused(segment, client_id, redirect_uri)
        if refused is not None:
            return refused
        base = {"admin_consent": "True", "state": state}
        if form.get("decision") != "accept" and CANCEL_SUBCODE in self.directory.variants:
            return _redirect(
                redirect_uri, {"error": "access_denied", "error_subcode": "cancel", "state": state}
            )
        if form.get("decision") != "accept":
            return _redirect(redirect_uri, {**_error_params(65004), **base})
        user = self.directory.find_user(form.get("upn", ""))
        tenant = (
            self.directory.find_tenant(segment)
            if segment != "organizations"
            else (self.directory.tenants.get(user.tenant_id) if user else None)
        )
        if user is None or tenant is None:
            return error_page(50034, "The account does not exist.")
        fill = {"user": user.upn, "tenant": tenant.tenant_id, "client": client_id}
        problem = self._sign_in_problem(user, tenant, client_id)
        if problem is not None:
            return problem
        fault = self.issuer.faults.take(user.tenant_id, client_id, user.upn, "authorize")
        if fault is not None and fault.code not in REDIRECTED_CODES:
            return _spec_page(fault.code, **fill)
        if not user.admin:
            return _redirect(redirect_uri, {**_error_params(90094, **fill), **base})
        if self.options.consent_error:
            return _redirect(
                redirect_uri, {**_error_params(self.options.consent_error, **fill), **base}
            )
        self.directory.grant_admin_consent(tenant.tenant_id, client_id)
        self.consents_granted += 1
        reply_tenant = self.options.reply_tenant or tenant.tenant_id
        return _redirect(
            redirect_uri,
            {"admin_consent": "True", "tenant": reply_tenant, "scope": scope, "state": state},
        )
