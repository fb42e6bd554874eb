"""The sandbox's security token service: discovery, authorization codes and the token endpoint.

Answers as the Microsoft identity platform v2 does, closely enough for MSAL Python unpatched:
authorization code + PKCE, refresh tokens, and client credentials with certificate assertions
(or secrets). Access tokens are RS256 JWTs with ``roles`` or ``scp``, ``tid`` and ``oid``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.core.identity.resources import (
    GRAPH_APP_ID,
    OSSRDBMS_APP_ID,
    PARTNER_CENTER_APP_ID,
    RESOURCE_APP_IDS,
)
from desktop.sandbox import jws
from desktop.sandbox.assertions import ClientAuthError, authenticate_client
from desktop.sandbox.clouds import CLOUDS, discovers, login_of
from desktop.sandbox.directory import RESOURCE_NAMES, App, Directory, Tenant, User
from desktop.sandbox.faults import AADSTS, FaultTable
from desktop.sandbox.gdap import is_partner_center
from desktop.sandbox.registrations import PUBLIC, platform_of
from desktop.sandbox.variants import access_claims, token_error, token_response

OIDC_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
_GRAPH_HOSTS = {"graph.microsoft.com", "graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"}
_URI_APPS = {
    "outlook.office365.com": "00000002-0000-0ff1-ce00-000000000000",
    "outlook.office.com": "00000002-0000-0ff1-ce00-000000000000",
    "management.azure.com": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "management.core.windows.net": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "analysis.windows.net": "00000009-0000-0000-c000-000000000000",
    "api.spaces.skype.com": "48ac35b8-9aa8-4d74-927d-1f4a14a0b239",
    # Azure Database for PostgreSQL's Entra sign-in: the token is the server's password.
    "ossrdbms-aad.database.windows.net": OSSRDBMS_APP_ID,
}

Reply = tuple[int, dict[str, str], dict[str, Any]]


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    tenant_id: str
    upn: str
    scopes: list[str]
    challenge: str
    nonce: str
    expires: float


@dataclass
class RefreshGrant:
    client_id: str
    tenant_id: str
    upn: str
    scopes: list[str]
    issued_at: float
    expired_code: int | None = None  # 700082 / 70008 once the scenario expires it


def error_reply(code: int, status: int | None = None, /, **fill: str) -> Reply:
    """Microsoft's error body for AADSTS *code*."""
    spec = AADSTS.get(code)
    text = (spec.text if spec else "Error.").format_map(_Fill(fill))
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    body: dict[str, Any] = {
        "error": spec.error if spec else "invalid_request",
        "error_description": f"AADSTS{code}: {text} Trace ID: {trace} Correlation ID: "
        f"{correlation} Timestamp: {time.strftime('%Y-%m-%d %H:%M:%SZ', time.gmtime())}",
        "error_codes": [code],
        "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
        "trace_id": trace,
        "correlation_id": correlation,
    }
    if spec and spec.suberror:
        body["suberror"] = spec.suberror
    return (status or (spec.status if spec else 400)), {}, body


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Issuer:
    """Issues codes and tokens against a :class:`Directory`, honouring injected faults.

    One issuer serves one sign-in host (*login*: ``global``, ``usgov`` or ``china``): tenants
    and app registrations of other clouds do not exist for it.
    """

    def __init__(self, directory: Directory, faults: FaultTable, login: str = "global") -> None:
        self.directory = directory
        self.faults = faults
        self.login = login
        #: The issuers of every sign-in host by login (discovery answers for a peer's tenant).
        self.peers: dict[str, Issuer] = {login: self}
        #: Graph base URL by cloud name, as the sandbox serves it.
        self.graph_urls: dict[str, str] = {}
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.base_url = ""  # https://127.0.0.1:port, set by the server
        self.pages_url = ""  # http://127.0.0.1:port for the browser pages
        self.latency = 0.0
        #: Seconds the sandbox's clock is ahead of this computer's (negative: behind), to
        #: model a client whose clock runs ahead of Microsoft's.
        self.clock_offset = 0.0
        #: (header, claims) of every client assertion accepted, for tests to inspect.
        self.accepted_assertions: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._codes: dict[str, AuthCode] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self.token_requests = 0

    def tenant_here(self, segment: str) -> Tenant | None:
        """The tenant *segment* names if it lives in a cloud this sign-in host serves."""
        tenant = self.directory.find_tenant(segment)
        if tenant is None or login_of(tenant.cloud) != self.login:
            return None
        return tenant

    def app(self, client_id: str) -> App | None:
        """The app registration as this cloud knows it (None when unknown here)."""
        return self.directory.app_in(client_id, self.login)

    # -- discovery --------------------------------------------------------------------------
    def openid_configuration(self, segment: str) -> Reply:
        cloud = next(c for c in CLOUDS.values() if c.login == self.login)
        if segment in ("organizations", "common"):
            tid = "{tenantid}"
            issuer = self
        else:
            tenant = self.directory.find_tenant(segment)
            if tenant is None or not discovers(self.login, tenant.cloud):
                return error_reply(90002, tenant=segment)
            tid, cloud = tenant.tenant_id, CLOUDS[tenant.cloud]
            # The worldwide and US Government hosts answer for each other's tenants, naming
            # the tenant's own cloud's endpoints: how a tool finds out where a tenant lives.
            issuer = self.peers.get(cloud.login, self)
        body = issuer._configuration(segment, tid)
        body["cloud_instance_name"] = cloud.cloud_instance_name
        body["tenant_region_scope"] = cloud.tenant_region_scope
        if cloud.tenant_region_sub_scope:
            body["tenant_region_sub_scope"] = cloud.tenant_region_sub_scope
        body["msgraph_host"] = urlsplit(cloud.graph_host).netloc
        body["cloud_graph_host_name"] = "graph.windows.net"
        return 200, {}, body

    def _configuration(self, segment: str, tid: str) -> dict[str, Any]:
        base = f"{self.base_url}/{segment if tid == '{tenantid}' else tid}"
        pages = f"{self.pages_url}/{segment if tid == '{tenantid}' else tid}"
        return {
            "issuer": f"{self.base_url}/{tid}/v2.0",
            "authorization_endpoint": f"{pages}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{pages}/oauth2/v2.0/logout",
            "jwks_uri": f"{self.base_url}/{tid}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "response_types_supported": ["code", "id_token", "code id_token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        }

    # -- resources and scopes ---------------------------------------------------------------
    def resource_of(self, scopes: list[str]) -> tuple[str | None, str, list[str]]:
        """``(resource app ID or None, audience, short scopes)`` of requested *scopes*."""
        audience, short = "", []
        for scope in scopes:
            if scope in OIDC_SCOPES:
                continue
            if "/" in scope and (
                scope.startswith(("http://", "https://", "api://"))
                or _looks_like_guid(scope.split("/", 1)[0])
            ):
                audience, _, name = scope.rpartition("/")
                short.append(name)
            else:
                audience = audience or "https://graph.microsoft.com"
                short.append(scope)
        if not audience:
            audience = "https://graph.microsoft.com"
        return self._resource_app(audience), audience, short

    def _resource_app(self, audience: str) -> str | None:
        if _looks_like_guid(audience):
            known = set(RESOURCE_APP_IDS.values()) | set(RESOURCE_NAMES)
            return audience.lower() if audience.lower() in known else None
        host = (urlsplit(audience).hostname or "").lower()
        own = (urlsplit(self.base_url).hostname or "").lower()
        if is_partner_center(audience, self.base_url):
            return PARTNER_CENTER_APP_ID
        if host in _GRAPH_HOSTS or (
            host == own and audience.rstrip("/") in {self.base_url, *self.graph_urls.values()}
        ):
            return GRAPH_APP_ID
        if host.endswith(".sharepoint.com"):
            return "00000003-0000-0ff1-ce00-000000000000"
        return _URI_APPS.get(host)

    # -- authorization codes ----------------------------------------------------------------
    def issue_code(self, code: AuthCode) -> str:
        value = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[value] = code
        return value

    # -- token endpoint ---------------------------------------------------------------------
    def token(self, segment: str, form: dict[str, str]) -> Reply:
        with self._lock:
            self.token_requests += 1
        if self.latency > 0:
            time.sleep(self.latency)
        return token_error(self._token(segment, form), self.directory.variants)

    def _token(self, segment: str, form: dict[str, str]) -> Reply:
        tenant = self.tenant_here(segment)
        if tenant is None and segment not in ("organizations", "common"):
            # Also a tenant of another cloud: "often a cross-cloud app used against the wrong
            # cloud" (90002).
            return error_reply(90002, tenant=segment)
        client_id = form.get("client_id", "").strip().lower()
        grant = form.get("grant_type", "")
        app = self.app(client_id)
        if app is None:
            return error_reply(700016, client=client_id, tenant=segment)
        if app.home_tenant and tenant is None:
            return error_reply(50194, client=client_id)
        if grant == "client_credentials":
            if tenant is None:
                return error_reply(90002, tenant=segment)
            return self._client_credentials(tenant, segment, form)
        audiences = self._token_audiences(segment, tenant)
        if grant == "authorization_code":
            return self._authorization_code(form, app, audiences)
        if grant == "refresh_token":
            return self._refresh_token(form, app, audiences, tenant)
        return (
            400,
            {},
            {
                "error": "unsupported_grant_type",
                "error_description": "AADSTS70003: The app requested an unsupported grant "
                f"type '{grant}'.",
                "error_codes": [70003],
            },
        )

    def _fault(self, tenant_id: str, client_id: str, upn: str | None, grant: str) -> Reply | None:
        fault = self.faults.take(tenant_id, client_id, upn, grant)
        if fault is None:
            return None
        status, headers, body = error_reply(
            fault.code, fault.status, client=client_id, tenant=tenant_id, user=upn or ""
        )
        if fault.retry_after is not None:
            headers = {"Retry-After": str(fault.retry_after)}
        return status, headers, body

    def _token_audiences(self, segment: str, tenant: Tenant | None) -> set[str]:
        """The ``aud`` values a client assertion may carry at this token endpoint."""
        names = {segment} | ({tenant.tenant_id, tenant.domain} if tenant else set())
        return {f"{self.base_url}/{name}/oauth2/v2.0/token" for name in names}

    def _client_auth(self, app: App, form: dict[str, str], audiences: set[str]) -> Reply | None:
        """None when *form* authenticates the client (or it is a public client without a
        credential), else Microsoft's invalid_client answer.

        A code or refresh token redeemed without a secret or assertion is accepted only for an
        app with a Mobile-and-desktop redirect URI; a Web-only app is confidential (7000218).
        """
        if not form.get("client_assertion") and not form.get("client_secret") and app.is_public:
            return None
        return self._authenticate(app, form, audiences)

    def _authenticate(self, app: App, form: dict[str, str], audiences: set[str]) -> Reply | None:
        """None when *form* carries a valid credential of *app*, else invalid_client."""
        try:
            how = authenticate_client(app, form, audiences, time.time() + self.clock_offset)
        except ClientAuthError as exc:
            status, headers, body = error_reply(exc.code, 401)
            body["error"] = "invalid_client"
            body["error_description"] = f"AADSTS{exc.code}: {exc.text}"
            return status, headers, body
        if how == "certificate":
            header, assertion_claims, _, _ = jws.split(form["client_assertion"])
            with self._lock:
                self.accepted_assertions.append((header, assertion_claims))
        return None

    def _client_credentials(self, tenant: Tenant, segment: str, form: dict[str, str]) -> Reply:
        client_id = form["client_id"].strip().lower()
        app = self.directory.apps[client_id]
        audiences = self._token_audiences(segment, tenant)
        fault = self._fault(tenant.tenant_id, client_id, None, "client_credentials")
        if fault:
            return fault
        refused = self._authenticate(app, form, audiences)
        if refused:
            return refused
        if app.home_tenant and app.home_tenant != tenant.tenant_id:
            return error_reply(700016, client=client_id, tenant=tenant.tenant_id)
        if tenant.sp_by_app(client_id) is None:
            return error_reply(700016, client=client_id, tenant=tenant.tenant_id)
        resource, audience, short = self.resource_of(form.get("scope", "").split())
        if resource is None or short != [".default"]:
            if resource is None:
                return error_reply(500011, resource=audience, tenant=tenant.tenant_id)
            return (
                400,
                {},
                {
                    "error": "invalid_scope",
                    "error_codes": [1002012],
                    "error_description": "AADSTS1002012: The provided value for scope "
                    f"{form.get('scope')} is not valid. Client credential flows must "
                    "have a scope value with /.default suffixed to the resource "
                    "identifier (application ID URI).",
                },
            )
        roles = self.directory.granted_roles(tenant.tenant_id, client_id, resource)
        sp = tenant.sp_by_app(client_id)
        claims: dict[str, Any] = {
            "aud": audience,
            "appid": client_id,
            "azp": client_id,
            "idtyp": "app",
            "oid": sp.id if sp else "",
            "sub": sp.id if sp else "",
            "tid": tenant.tenant_id,
            "iss": f"{self.base_url}/{tenant.tenant_id}/v2.0",
        }
        if roles:
            claims["roles"] = roles
        return 200, {}, self._token_body(claims)

    def _authorization_code(self, form: dict[str, str], app: App, audiences: set[str]) -> Reply:
        with self._lock:
            code = self._codes.pop(form.get("code", ""), None)
        if code is None or code.expires < time.time():
            return error_reply(70008)
        if code.client_id != app.client_id or code.redirect_uri != form.get("redirect_uri"):
            return (
                400,
                {},
                {
                    "error": "invalid_grant",
                    "error_codes": [50148],
                    "error_description": "AADSTS50148: The code was issued to "
                    "another client or redirect URI.",
                },
            )
        if code.challenge:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if digest.rstrip(b"=").decode() != code.challenge:
                return (
                    400,
                    {},
                    {
                        "error": "invalid_grant",
                        "error_codes": [501481],
                        "error_description": "AADSTS501481: The Code_Verifier does "
                        "not match the code_challenge supplied in the authorization "
                        "request.",
                    },
                )
        public = (
            platform_of(app.web_redirect_uris, app.public_redirect_uris, code.redirect_uri)
            == PUBLIC
        )
        if not public and not form.get("client_assertion") and not form.get("client_secret"):
            # The code came back to a Web redirect URI: only a confidential client redeems it.
            return error_reply(7000218, 401)
        refused = self._client_auth(app, form, audiences)
        if refused:
            return refused
        fault = self._fault(code.tenant_id, code.client_id, code.upn, "authorization_code")
        if fault:
            return fault
        grant = RefreshGrant(code.client_id, code.tenant_id, code.upn, code.scopes, time.time())
        return self._user_tokens(grant, nonce=code.nonce)

    def _refresh_token(
        self, form: dict[str, str], app: App, audiences: set[str], at: Tenant | None = None
    ) -> Reply:
        """Redeem a refresh token; at another tenant's endpoint (*at*) for a token there
        (GDAP: a partner user's refresh token works at a customer tenant's authority)."""
        with self._lock:
            grant = self._refresh.get(form.get("refresh_token", ""))
        if grant is None or grant.client_id != app.client_id:
            return error_reply(70000)
        refused = self._client_auth(app, form, audiences)
        if refused:
            return refused
        if grant.expired_code:
            return error_reply(grant.expired_code)
        tenant = self.directory.tenants[grant.tenant_id]
        user = tenant.users.get(grant.upn.casefold())
        problem = self._user_problem(user, grant, tenant)
        if problem:
            return problem
        target = at or tenant
        fault = self._fault(target.tenant_id, grant.client_id, grant.upn, "refresh_token")
        if fault:
            return fault
        scopes = form.get("scope", "").split() or grant.scopes
        renewed = RefreshGrant(grant.client_id, grant.tenant_id, grant.upn, scopes, grant.issued_at)
        if target.tenant_id != tenant.tenant_id:
            assert user is not None
            return self._cross_tenant_tokens(renewed, user, target)
        return self._user_tokens(renewed)

    def _cross_tenant_tokens(self, grant: RefreshGrant, user: User, target: Tenant) -> Reply:
        """A token in *target* for a user of another tenant: only through GDAP, and only
        once the client app is authorized there (90099 before)."""
        from desktop.sandbox.gdap import role_ids_in

        fill = {"user": user.upn, "tenant": target.tenant_id, "client": grant.client_id}
        wids = role_ids_in(self.directory, target.tenant_id, user)
        if wids is None and user.upn.casefold() in target.guests:
            # A guest is no partner delegated admin: without consent it gets 65001 (from
            # _user_tokens), and holds no directory role there.
            return self._user_tokens(grant, in_tenant=target, wids=[])
        if wids is None:
            return error_reply(50020, **fill)
        if not self.directory.has_tenant_grant(target.tenant_id, grant.client_id):
            return error_reply(90099, **fill)
        return self._user_tokens(grant, in_tenant=target, wids=wids)

    def _user_problem(self, user: User | None, grant: RefreshGrant, tenant: Tenant) -> Reply | None:
        fill = {"user": grant.upn, "tenant": tenant.tenant_id, "client": grant.client_id}
        if user is None or user.deleted:
            return error_reply(50034, **fill)
        if user.disabled:
            return error_reply(50057, **fill)
        if user.tokens_valid_after > grant.issued_at:
            return error_reply(50173, **fill)
        if user.mfa_code and user.mfa_since > grant.issued_at:
            return error_reply(user.mfa_code, **fill)
        return None

    def _user_tokens(
        self,
        grant: RefreshGrant,
        nonce: str = "",
        in_tenant: Tenant | None = None,
        wids: list[str] | None = None,
    ) -> Reply:
        """Tokens for the grant's user, in its own tenant or (GDAP) *in_tenant* with the
        relationship's roles as *wids*. ``client_info`` names the home account either way."""
        home = self.directory.tenants[grant.tenant_id]
        user = home.users[grant.upn.casefold()]
        tenant = in_tenant or home
        resource, audience, short = self.resource_of(grant.scopes)
        if resource is None:
            return error_reply(500011, resource=audience, tenant=tenant.tenant_id)
        granted = self.directory.granted_scopes(
            tenant.tenant_id, grant.client_id, resource, user.oid
        )
        wanted = set(short) - {".default"}
        if (wanted and not wanted <= granted) or (not wanted and not granted):
            return error_reply(65001, client=grant.client_id, tenant=tenant.tenant_id)
        scp = sorted(wanted or granted)
        claims: dict[str, Any] = {
            "aud": audience,
            "appid": grant.client_id,
            "azp": grant.client_id,
            "idtyp": "user",
            "oid": user.oid,
            "sub": user.oid,
            "tid": tenant.tenant_id,
            "upn": user.upn,
            "preferred_username": user.upn,
            "name": user.display_name,
            "scp": " ".join(scp),
            "iss": f"{self.base_url}/{tenant.tenant_id}/v2.0",
        }
        if wids is not None:
            claims["wids"] = list(wids)
        elif user.role_ids():
            claims["wids"] = user.role_ids()
        body = self._token_body(claims)
        refresh = secrets.token_urlsafe(48)
        with self._lock:
            self._refresh[refresh] = grant
        now = int(time.time())
        id_claims = {
            "aud": grant.client_id,
            "iss": f"{self.base_url}/{tenant.tenant_id}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "tid": tenant.tenant_id,
            "oid": user.oid,
            "sub": user.oid,
            "preferred_username": user.upn,
            "name": user.display_name,
            "ver": "2.0",
        }
        if "wids" in claims:  # the directory roles optional claim, as the sign-in app asks
            id_claims["wids"] = claims["wids"]
        if nonce:
            id_claims["nonce"] = nonce
        body.update(
            {
                "refresh_token": refresh,
                "id_token": jws.sign(id_claims, self.key, self.kid),
                "client_info": jws.b64url(
                    json.dumps({"uid": user.oid, "utid": home.tenant_id}).encode()
                ),
                "scope": " ".join(f"{audience}/{s}" if audience else s for s in scp)
                + " openid profile offline_access",
            }
        )
        return 200, {}, body

    def _token_body(self, claims: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            **claims,
            "iat": now,
            "nbf": now,
            "exp": now + 3599,
            "ver": "2.0",
            "uti": secrets.token_urlsafe(12),
        }
        variants = self.directory.variants
        claims = access_claims(claims, variants)
        body = {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": jws.sign(claims, self.key, self.kid),
        }
        return token_response(body, variants)

    # -- scenario hooks and Graph -----------------------------------------------------------
    def expire_refresh_tokens(self, tenant_id: str | None, upn: str | None, code: int) -> int:
        with self._lock:
            hit = 0
            for grant in self._refresh.values():
                if (tenant_id in (None, grant.tenant_id)) and (
                    upn is None or grant.upn.casefold() == upn.casefold()
                ):
                    grant.expired_code = code
                    hit += 1
            return hit

    def verify_bearer(self, token: str) -> dict[str, Any] | None:
        """The claims of an access token this sandbox issued and that has not expired."""
        try:
            claims = jws.verify(token, self.key.public_key())
        except jws.JwsError:
            return None
        return claims if claims.get("exp", 0) > time.time() else None


def _looks_like_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
