"""The sandbox's "app registrations" page: upload a certificate to a customer-owned app.

In a real tenant, custom mode starts in the Entra admin center: the customer's administrator
uploads the app's certificate (the ``.cer``) under *Certificates & secrets*. This page does the
same for the sandbox's customer-owned apps, so custom mode can be finished in ``--sandbox``
with a certificate made in the app (Certificates → Create). Only the public certificate is
uploaded; no private key or password ever reaches the sandbox.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop.sandbox.directory import App, Directory

PORTAL_PATH = "/_sandbox/apps"

Page = tuple[int, dict[str, str], str]

_STYLE = (
    "body{font-family:sans-serif;max-width:48rem;margin:2rem auto;color:#222}"
    "h1{font-size:1.4rem}.banner{background:#b00020;color:#fff;padding:.4rem .8rem;"
    "font-weight:bold;letter-spacing:.1em}section{border:1px solid #ddd;padding:.6rem 1rem;"
    "margin:1rem 0}code{background:#f3f3f3;padding:0 .2rem}.ok{color:#1b5e20}.bad{color:#b00020}"
)

# Reads the chosen .cer file and sends it base64-encoded, so no multipart parser is needed.
_SCRIPT = (
    "document.querySelectorAll('input[type=file]').forEach(function(input){"
    "input.addEventListener('change',function(){var r=new FileReader();"
    "r.onload=function(){var b=new Uint8Array(r.result),s='';"
    "for(var i=0;i<b.length;i++){s+=String.fromCharCode(b[i]);}"
    "input.form.elements['certificate'].value=btoa(s);};"
    "r.readAsArrayBuffer(input.files[0]);});});"
)


class CertificateRefused(ValueError):
    """The uploaded text is not a certificate Entra would take."""


def read_certificate(text: str) -> x509.Certificate:
    """A certificate from PEM text or base64 of a DER ``.cer``; RSA of 2048 bits or more."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            certificate = x509.load_pem_x509_certificate(text.encode())
        else:
            certificate = x509.load_der_x509_certificate(base64.b64decode(text, validate=False))
    except (ValueError, binascii.Error) as exc:
        raise CertificateRefused(
            "This is not a certificate file (.cer, .pem or .crt). Upload the public "
            "certificate, never the .pfx."
        ) from exc
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise CertificateRefused("AADSTS50032: the key must be RSA of 2048 bits or more.")
    if certificate.not_valid_after_utc < dt.datetime.now(dt.UTC):
        raise CertificateRefused("The certificate has expired.")
    return certificate


def thumbprint(certificate: x509.Certificate) -> str:
    """The SHA-1 thumbprint as the Entra admin center shows it (upper-case hex)."""
    return certificate.fingerprint(hashes.SHA1()).hex().upper()


def upload(directory: Directory, client_id: str, text: str) -> str:
    """Add the certificate in *text* to the customer-owned app *client_id*; its thumbprint."""
    with directory.lock:
        app = directory.apps.get(client_id.strip().lower())
        if app is None or app.home_tenant is None:
            raise CertificateRefused("No customer-owned app has this application ID.")
        certificate = read_certificate(text)
        if all(
            c.fingerprint(hashes.SHA256()) != certificate.fingerprint(hashes.SHA256())
            for c in app.certificates
        ):
            app.certificates.append(certificate)
        return thumbprint(certificate)


def _section(directory: Directory, app: App) -> str:
    tenant = directory.tenants.get(app.home_tenant or "")
    certificates = (
        "".join(
            f"<li><code>{thumbprint(c)}</code>, valid until {c.not_valid_after_utc:%Y-%m-%d}</li>"
            for c in app.certificates
        )
        or "<li>none yet</li>"
    )
    return (
        f"<section><h2>{html.escape(app.display_name)}</h2>"
        f"<p>Application (client) ID <code>{app.client_id}</code> in "
        f"<b>{html.escape(tenant.domain if tenant else '')}</b></p>"
        f"<p>Certificates:</p><ul>{certificates}</ul>"
        f"<form method='post' id='upload-{app.client_id}'>"
        f"<input type='hidden' name='client_id' value='{app.client_id}'>"
        "<p><label>Certificate file (.cer) <input type='file' accept='.cer,.crt,.pem'></label></p>"
        "<p><label>or paste a PEM certificate<br><textarea name='certificate' rows='4' "
        "cols='66'></textarea></label></p><button type='submit'>Upload certificate</button>"
        "</form></section>"
    )


def portal_page(directory: Directory, message: str = "", ok: bool = True) -> Page:
    """The app registrations page, with the result of the last upload."""
    with directory.lock:
        apps = [a for a in directory.apps.values() if a.home_tenant]
        sections = "".join(_section(directory, a) for a in apps) or "<p>No customer apps.</p>"
    note = f"<p class='{'ok' if ok else 'bad'}'>{html.escape(message)}</p>" if message else ""
    body = (
        "<h1>App registrations (customer-owned)</h1>"
        "<p>Custom mode uses the customer's own app and its certificate. Make a certificate "
        "in App Profile Manager (Certificates → Create), upload its <b>.cer</b> here as the "
        "customer's administrator would in the Entra admin center, then choose the "
        "<b>.pfx</b> in custom mode with this application ID.</p>"
        f"{note}{sections}"
    )
    document = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>App registrations"
        f"</title><style>{_STYLE}</style></head><body><div class='banner'>SANDBOX identity "
        f"provider</div>{body}<script>{_SCRIPT}</script></body></html>"
    )
    return (200 if ok else 400), {}, document


def portal_post(directory: Directory, form: dict[str, str]) -> Page:
    """Handle an upload from :func:`portal_page`."""
    try:
        print_ = upload(directory, form.get("client_id", ""), form.get("certificate", ""))
    except CertificateRefused as exc:
        return portal_page(directory, str(exc), ok=False)
    return portal_page(directory, f"Certificate {print_} uploaded.")
