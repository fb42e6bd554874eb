"""Explaining what Microsoft's error page showed: a pasted AADSTS code or trace ID.

Most sign-in errors are shown on Microsoft's page and never reach our listener (an unknown
client ID, an unregistered redirect URI, an account of another tenant, Conditional Access), so
a waiting consent offers to paste what the page shows. A code is read through the same table
as a redirected error; a trace or correlation ID alone says nothing to us, so the explanation
says where it helps (the tenant's sign-in logs, support).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.identity.consent_errors import consent_error, known_code

#: Said while a consent waits: most sign-in errors stay on Microsoft's page.
WAITING_HINT = (
    "If the browser shows a Microsoft error page, come back here: Cancel, or paste the "
    "AADSTS code / trace ID it shows."
)

_CODE = re.compile(r"\bAADSTS(\d{4,8})\b", re.IGNORECASE)
_BARE_CODE = re.compile(r"^\s*(\d{4,8})\s*$")
_GUID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Explanation:
    """What a pasted text means: words and a remedy, and what was recognised in it."""

    message: str
    remedy: str
    codes: tuple[int, ...] = ()
    trace_ids: tuple[str, ...] = ()

    def one_line(self) -> str:
        return f"{self.message} {self.remedy}".strip()


def explain_pasted(text: str, tenant: str = "the customer's tenant") -> Explanation:
    """Explain *text* copied from Microsoft's error page (an AADSTS code, a trace ID, or the
    whole message). Never raises: text with nothing recognisable says what to paste."""
    codes = tuple(dict.fromkeys(int(c) for c in _CODE.findall(text)))
    if not codes and (bare := _BARE_CODE.match(text)):
        codes = (int(bare.group(1)),)
    trace_ids = tuple(dict.fromkeys(g.lower() for g in _GUID.findall(text)))
    if codes and not any(known_code(c) for c in codes):
        return Explanation(
            f"AADSTS{codes[0]} is not an error this version knows.",
            "Look it up at https://login.microsoftonline.com/error?code="
            f"{codes[0]} (Microsoft's error lookup), or give support the code.",
            codes,
            trace_ids,
        )
    if codes:
        problem = consent_error("", text, codes, tenant)
        remedy = problem.remedy
        if trace_ids:
            remedy += f" Give support the trace ID {trace_ids[0]} if it happens again."
        return Explanation(problem.message, remedy, codes, trace_ids)
    if trace_ids:
        return Explanation(
            "A trace ID alone does not say what went wrong; Microsoft's page shows the reason "
            "as an AADSTS code (for example AADSTS50020) above it.",
            "Paste the AADSTS code too. The customer's administrator can also find the "
            f"sign-in by this ID in the Entra sign-in logs (trace ID {trace_ids[0]}).",
            (),
            trace_ids,
        )
    return Explanation(
        "No AADSTS code or trace ID was found in the text.",
        "Copy the line of Microsoft's error page that starts with AADSTS (or its trace ID), "
        "and give that instead.",
    )
