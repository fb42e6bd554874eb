"""The one signing path for certificate credentials: a client assertion (RFC 7523) per request.

Microsoft's certificate-credentials page asks for PS256 with the ``x5t#S256`` (SHA-256)
thumbprint; RS256 with ``x5t`` (SHA-1) is the older form MSAL 1.39 marks deprecated. MSAL's own
certificate path sets no ``nbf``, so a computer whose clock runs ahead of Microsoft's is refused
with AADSTS700024; we sign the assertion ourselves, with ``nbf`` a minute back, and hand MSAL a
``client_assertion`` callable. Verification after consent and the health checks both use
:func:`confidential_client`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import msal
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.core.errors import UserError

#: How far back ``nbf`` is set: Microsoft refuses an assertion that is not valid yet.
CLOCK_SKEW_S = 60
#: Lifetime of one assertion (MSAL uses the same).
LIFETIME_S = 600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _private_key(pem: str) -> rsa.RSAPrivateKey:
    """The key, loaded (with its consistency check: 40–200 ms holding the GIL)."""
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UserError(
            "The stored certificate's key is not an RSA key.",
            remedy="Choose an RSA certificate (2048 bits or more) for this app.",
        )
    return key


class KeyCache:
    """The private keys loaded for one run (a check run, one verification): each is loaded
    once, and checks that need it at the same moment wait for that one load instead of each
    loading it (every load holds the interpreter lock, stalling the window). The keys stay in
    memory only, and go with the run; they are found by the PEM's SHA-256, so the PEM text
    itself is not kept here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[bytes, rsa.RSAPrivateKey] = {}
        self._loading: dict[bytes, threading.Lock] = {}

    def key(self, pem: str) -> rsa.RSAPrivateKey:
        """*pem*'s loaded key: loaded now, the first time in this run."""
        digest = hashlib.sha256(pem.encode("ascii")).digest()
        with self._lock:
            known = self._keys.get(digest)
            if known is not None:
                return known
            gate = self._loading.setdefault(digest, threading.Lock())
        with gate:  # one load per key; the others wait for it
            with self._lock:
                known = self._keys.get(digest)
            if known is None:
                known = _private_key(pem)
                with self._lock:
                    self._keys[digest] = known
            return known


@functools.lru_cache(maxsize=64)
def _headers(certificate_pem: str) -> tuple[tuple[str, Any], ...]:
    """``x5t#S256`` of the first certificate, and ``x5c`` with the chain (base64 DER)."""
    certs = x509.load_pem_x509_certificates(certificate_pem.encode("ascii"))
    if not certs:
        raise UserError("The stored certificate is missing.", remedy="Choose the .pfx again.")
    der = [c.public_bytes(serialization.Encoding.DER) for c in certs]
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der[0])
    return (
        ("x5t#S256", _b64url(digest.finalize())),
        ("x5c", [base64.b64encode(d).decode("ascii") for d in der]),
    )


def signer(
    private_key_pem: str,
    certificate_pem: str,
    client_id: str,
    audience: Callable[[], str],
    clock: Callable[[], float] = time.time,
    *,
    keys: KeyCache | None = None,
) -> Callable[[], str]:
    """A callable that signs a fresh assertion each time MSAL asks for one.

    *audience* is called at signing time: MSAL knows the token endpoint only once it has read
    the authority's OpenID configuration. *keys* holds the run's loaded keys (without it, the
    key is loaded for this signer alone).
    """
    key = keys.key(private_key_pem) if keys is not None else _private_key(private_key_pem)
    headers = dict(_headers(certificate_pem))

    def sign() -> str:
        now = int(clock())
        claims = {
            "aud": audience(),
            "iss": client_id,
            "sub": client_id,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "nbf": now - CLOCK_SKEW_S,
            "exp": now + LIFETIME_S,
        }
        return jwt.encode(claims, key, algorithm="PS256", headers=headers)

    return sign


def confidential_client(
    client_id: str,
    authority: str,
    private_key_pem: str,
    certificate_pem: str,
    *,
    keys: KeyCache | None = None,
    **options: Any,
) -> msal.ConfidentialClientApplication:
    """A fresh MSAL confidential client that authenticates with our certificate assertion.

    *keys*: the run's loaded keys (see :class:`KeyCache`). Raises ``ValueError`` as MSAL
    does for an unknown tenant.
    """
    holder: list[msal.ConfidentialClientApplication] = []
    sign = signer(
        private_key_pem,
        certificate_pem,
        client_id,
        lambda: str(holder[0].authority.token_endpoint),
        keys=keys,
    )
    app = msal.ConfidentialClientApplication(
        client_id,
        authority=authority,
        client_credential={"client_assertion": sign},
        **options,
    )
    holder.append(app)
    return app
