"""The client credential MSAL needs, built in memory from an opened certificate.

``{"private_key": PEM, "public_certificate": PEM}``: the key signs the client assertion, and
the certificate names it by its SHA-256 thumbprint (``x5t#S256``, PS256) with the ``x5c`` chain.
No SHA-1 ``thumbprint``: given one, MSAL falls back to the deprecated RS256 + ``x5t`` form. The
dict lives only in memory; it is never written anywhere.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.core.certificates.model import MIN_RSA_BITS, PfxContents
from desktop.core.certificates.reading import CertificateError


def msal_client_credential(contents: PfxContents) -> dict[str, str]:
    """MSAL's ``client_credential`` for a certificate; refuses what Entra would refuse."""
    key = contents.private_key
    if key is None:
        raise CertificateError(
            "The stored certificate has no private key.",
            remedy="Choose the app's .pfx file again.",
        )
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_RSA_BITS:
        # An EC key would otherwise fail deep inside MSAL's JWT library.
        raise CertificateError(
            "The stored certificate's key is not an RSA key of 2048 bits or more.",
            remedy="Choose an RSA certificate (2048 bits or more) for this app.",
        )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    certs = (contents.certificate, *contents.chain)
    public_pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)
    return {
        "private_key": private_pem,
        "public_certificate": public_pem,
    }
