"""Syntax checks for what a technician types: tenant IDs (GUIDs) and domain names.

Patterns are matched with ``fullmatch``: ``$`` also matches before a trailing newline, so
``re.match("...$")`` let ``"contoso.com\n"`` through.
"""

from __future__ import annotations

import re

from desktop.core.errors import UserError

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


#: Stripped around typed or pasted values; a line break is not, so "GUID\n" is refused.
_BLANKS = " \t\u00a0"


def _guid_text(text: str) -> str:
    """*text* without surrounding spaces and braces, in lower case."""
    return text.strip(_BLANKS).removeprefix("{").removesuffix("}").strip(_BLANKS).lower()


def is_guid(text: str) -> bool:
    return bool(_GUID.fullmatch(_guid_text(text)))


def normalise_tenant_id(text: str) -> str:
    """The tenant ID in lower case without braces, or a ``UserError`` saying what a GUID is."""
    value = _guid_text(text)
    if not _GUID.fullmatch(value):
        raise UserError(
            f"“{_shown(text)}” is not a tenant ID.",
            remedy="A tenant ID is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 "
            "(Entra admin center → Overview → Tenant ID).",
        )
    return value


def is_domain(text: str) -> bool:
    try:
        normalise_domain(text)
    except UserError:
        return False
    return True


def normalise_domain(text: str) -> str:
    """The domain in lower case without a trailing dot, or a ``UserError``."""
    value = text.strip(_BLANKS).lower().rstrip(".")
    labels = value.split(".")
    ok = (
        0 < len(value) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and bool(_TLD.fullmatch(labels[-1]))
    )
    if not ok:
        raise UserError(
            f"“{_shown(text)}” is not a domain name.",
            remedy="Enter the tenant's primary domain, like contoso.onmicrosoft.com or "
            "contoso.com (letters, digits and hyphens, separated by dots).",
        )
    return value


def _shown(text: str, limit: int = 80) -> str:
    """*text* as an error message quotes it: one line, control characters escaped, short."""
    shown = text.strip(_BLANKS).encode("unicode_escape", "backslashreplace").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
