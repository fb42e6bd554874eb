"""Remove secrets from text before it reaches a log file, a crash report or a screen.

Covered: bearer and basic credentials, JWT-looking strings (access and ID tokens, client
assertions), PEM private keys, long base64 blobs (a PFX pasted somewhere), and the values of
secret-named fields in URLs, form bodies, JSON, Python reprs and ``key: value`` text
(``code``, ``client_secret``, ``password``, ``refresh_token``, ``client_assertion``... and any
name ending in key, secret, token or password).

Over-redaction is acceptable; a leaked secret is not. Tenant IDs, AADSTS codes and
correlation IDs are kept because a ticket needs them.
"""

from __future__ import annotations

import re
from functools import cache

MASK = "[REDACTED]"

#: Field names whose value is a secret wherever it appears.
SECRET_FIELDS = (
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "client_assertion",
    "assertion",
    "code",
    "code_verifier",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "pfx_password",
    "private_key",
    "secret",
    "session_key",
    "api_key",
    "apikey",
    "authorization",
    "cookie",
    "set-cookie",
)

#: A field whose name ends in one of these is a secret too, whatever comes before:
#: ``key``, ``vault_key``, ``x-api-key``, ``AccountKey``, ``sas_token``, ``client-secret``.
SECRET_SUFFIXES = ("key", "secret", "token", "password", "passwd", "passphrase")

_FIELDS = "|".join(
    [
        *(re.escape(name) for name in sorted(SECRET_FIELDS, key=len, reverse=True)),
        rf"[\w-]*(?:{'|'.join(SECRET_SUFFIXES)})",
    ]
)


class _Patterns:
    """The compiled patterns, built on first use: compiling them costs start-up time."""

    def __init__(self) -> None:
        self.pem_private = re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----.*?"
            r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)",
            re.DOTALL,
        )
        # Three base64url segments, the first a JSON header ("eyJ" is '{"' encoded).
        self.jwt = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
        self.auth_scheme = re.compile(
            r"(?i)\b(Bearer|Basic|Negotiate|NTLM)\s+[A-Za-z0-9._~+/=-]{6,}"
        )
        # key="value" / 'key': 'value' / "key": "value" (JSON, reprs, dict-shaped headers).
        self.quoted_field = re.compile(
            rf"(?i)(?P<key>[\"']?(?<![\w-])(?:{_FIELDS})[\"']?\s*[:=]\s*)"
            rf"(?P<q>[\"'])(?P<val>(?:\\.|(?!(?P=q)).)*)(?P=q)"
        )
        # key=value in URLs, form bodies and command lines; key: value in plain text.
        self.bare_field = re.compile(
            rf"(?i)(?P<key>(?<![\w-])(?:{_FIELDS})\s*(?:=|:\s))(?P<val>[^\s&\"',;)}}\]#]+)"
        )
        # A PFX or key pasted as base64: 200+ characters without a space never helps a log.
        self.long_blob = re.compile(r"[A-Za-z0-9+/_-]{200,}={0,2}")


@cache
def _patterns() -> _Patterns:
    return _Patterns()


# Values that carry nothing secret; an auth scheme's credential is masked by auth_scheme.
_NOT_SECRET_VALUES = frozenset({"none", "null", "''", '""', "bearer", "basic", "negotiate", "ntlm"})


def redact(text: str) -> str:
    """Return *text* with every recognised secret replaced by ``[REDACTED]``."""
    if not text:
        return text
    p = _patterns()
    text = p.pem_private.sub("[REDACTED PRIVATE KEY]", text)
    text = p.jwt.sub("[REDACTED JWT]", text)
    text = p.auth_scheme.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = p.quoted_field.sub(_mask_quoted, text)
    text = p.bare_field.sub(_mask_bare, text)
    return p.long_blob.sub("[REDACTED BLOB]", text)


def _mask_quoted(match: re.Match[str]) -> str:
    if match.group("val").startswith("[REDACTED"):
        return match.group(0)
    quote = match.group("q")
    return f"{match.group('key')}{quote}{MASK}{quote}"


def _mask_bare(match: re.Match[str]) -> str:
    value = match.group("val")
    if value.startswith("[REDACTED") or value.lower() in _NOT_SECRET_VALUES:
        return match.group(0)
    return f"{match.group('key')}{MASK}"
