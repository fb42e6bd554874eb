"""Remove secrets from text before it reaches a log file, a crash report or a screen.

Covered: bearer and basic credentials, JWT-looking strings (access and ID tokens, client
assertions), PEM private keys, long base64 blobs (a PFX pasted somewhere), and the values of
secret-named fields in URLs, form bodies, JSON, Python reprs and ``key: value`` text
(``code``, ``client_secret``, ``password``, ``refresh_token``, ``client_assertion``...).

Over-redaction is acceptable; a leaked secret is not. Tenant IDs, AADSTS codes and
correlation IDs are kept because a ticket needs them.
"""

from __future__ import annotations

import re

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

_FIELDS = "|".join(re.escape(name) for name in sorted(SECRET_FIELDS, key=len, reverse=True))

_PEM_PRIVATE = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
# Three base64url segments, the first being a JSON header ("eyJ" is '{"' encoded).
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_AUTH_SCHEME = re.compile(r"(?i)\b(Bearer|Basic|Negotiate|NTLM)\s+[A-Za-z0-9._~+/=-]{6,}")
# key="value" / 'key': 'value' / "key": "value" (JSON, reprs, headers written as dicts).
_QUOTED_FIELD = re.compile(
    rf"(?i)(?P<key>[\"']?(?<![\w-])(?:{_FIELDS})[\"']?\s*[:=]\s*)(?P<q>[\"'])(?P<val>(?:\\.|(?!(?P=q)).)*)(?P=q)"
)
# key=value in URLs, form bodies and command lines; key: value in plain text.
_BARE_FIELD = re.compile(
    rf"(?i)(?P<key>(?<![\w-])(?:{_FIELDS})\s*(?:=|:\s))(?P<val>[^\s&\"',;)}}\]#]+)"
)
# A PFX or key pasted as base64: 200+ characters with no spaces is never useful in a log.
_LONG_BLOB = re.compile(r"[A-Za-z0-9+/_-]{200,}={0,2}")


# Values that carry nothing secret; an auth scheme's credential is masked by _AUTH_SCHEME.
_NOT_SECRET_VALUES = frozenset({"none", "null", "''", '""', "bearer", "basic", "negotiate", "ntlm"})


def redact(text: str) -> str:
    """Return *text* with every recognised secret replaced by ``[REDACTED]``."""
    if not text:
        return text
    text = _PEM_PRIVATE.sub("[REDACTED PRIVATE KEY]", text)
    text = _JWT.sub("[REDACTED JWT]", text)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _QUOTED_FIELD.sub(_mask_quoted, text)
    text = _BARE_FIELD.sub(_mask_bare, text)
    return _LONG_BLOB.sub("[REDACTED BLOB]", text)


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
