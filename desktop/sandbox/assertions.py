"""Client authentication at the sandbox's token endpoint: certificate assertions and secrets.

An assertion is accepted only when its ``x5t`` (SHA-1) or ``x5t#S256`` (SHA-256) thumbprint
names a certificate registered on the app, its RS256/PS256 signature verifies with that
certificate's key, and ``iss``/``sub``/``aud``/``exp`` are right, as Entra ID does. An ``nbf``
later than the server's clock is refused with AADSTS700024 (a client clock running ahead).
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from collections.abc import Iterable

from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.sandbox.directory import App
from desktop.sandbox.jws import JwsError, b64url_decode, split, thumbprints, verify

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class ClientAuthError(Exception):
    """Client authentication failed: an AADSTS code and Microsoft's wording."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def authenticate_client(
    app: App, form: dict[str, str], audiences: Iterable[str], now: float | None = None
) -> str:
    """Check the credential in *form* for *app* at the server's time *now* (default: this
    computer's clock); return how it authenticated."""
    assertion = form.get("client_assertion")
    if assertion:
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise ClientAuthError(50027, "Invalid client_assertion_type.")
        _check_assertion(app, assertion, set(audiences), time.time() if now is None else now)
        return "certificate"
    secret = form.get("client_secret")
    if secret:
        if any(hmac.compare_digest(secret, s) for s in app.secrets):
            return "secret"
        raise ClientAuthError(7000215, f"Invalid client secret provided for app '{app.client_id}'.")
    raise ClientAuthError(
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or "
        "'client_secret'.",
    )


def _check_assertion(app: App, assertion: str, audiences: set[str], now: float) -> None:
    try:
        header, claims, _, _ = split(assertion)
    except JwsError as exc:
        raise ClientAuthError(700027, f"Client assertion is malformed: {exc}") from exc
    wanted_sha1 = _thumb_bytes(header.get("x5t"))
    wanted_sha256 = _thumb_bytes(header.get("x5t#S256"))
    match = None
    for cert in app.certificates:
        sha1, sha256 = (b64url_decode(t) for t in thumbprints(cert))
        if wanted_sha1 == sha1 or wanted_sha256 == sha256:
            match = cert
            break
    if match is None:
        shown = header.get("x5t#S256") or header.get("x5t") or "(none)"
        raise ClientAuthError(
            700027,
            f"Client assertion failed signature validation. The key was not found. "
            f"Thumbprint of key used by client: '{shown}'. Please visit the Azure Portal, "
            f"Graph Explorer or directly use MS Graph to see configured keys for app Id "
            f"'{app.client_id}'.",
        )
    if match.not_valid_after_utc < dt.datetime.now(dt.UTC):
        raise ClientAuthError(
            700027, "Client assertion contains an invalid signature. The key used is expired."
        )
    key = match.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ClientAuthError(700027, "Client assertion key is not an RSA key.")
    try:
        claims = verify(assertion, key)
    except JwsError as exc:
        raise ClientAuthError(
            700027,
            f"Client assertion failed signature validation: {exc} The signature does not "
            "match the registered key.",
        ) from exc
    if claims.get("iss") != app.client_id or claims.get("sub") != app.client_id:
        raise ClientAuthError(700023, "Client assertion iss and sub must be the client ID.")
    if claims.get("aud") not in audiences:
        raise ClientAuthError(
            700021, f"Client assertion audience claim does not match: {claims.get('aud')}."
        )
    exp = claims.get("exp")
    nbf = claims.get("nbf")
    if (
        not isinstance(exp, int | float)
        or exp < now - 300
        or (isinstance(nbf, int | float) and nbf > now)
    ):
        raise ClientAuthError(
            700024,
            f"Client assertion is not within its valid time range. Current time: {now:.0f}, "
            f"assertion valid from {nbf}, expiry time of assertion {exp}.",
        )


def _thumb_bytes(value: object) -> bytes | None:
    """A thumbprint header's bytes; clients send base64url or (MSAL) padded base64."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return b64url_decode(value.rstrip("=").replace("+", "-").replace("/", "_"))
    except ValueError:
        return None
