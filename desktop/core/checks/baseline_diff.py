"""Checking a profile against its baseline: the permissions the tenant showed at consent,
for app types whose catalog entry lists none (most AOS app types)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from desktop.core.baseline import Granted, parse
from desktop.core.checks.result import CheckResult
from desktop.core.domain import AppProfile, Status
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.status_words import (
    all_granted_reason,
    baseline_gone_reason,
    baseline_kept_reason,
    consent_revoked_reason,
    missing_permissions_reason,
)


@dataclass(frozen=True)
class BaselineDiff:
    """How many baseline permissions the answers could show, and which of those are gone."""

    count: int
    gone: tuple[str, ...]


def baseline_apis(profile: AppProfile) -> list[str]:
    """The APIs other than Graph whose application permissions the baseline holds."""
    found = {g.resource for g in parse(profile.baseline) if g.kind == "Application"}
    return sorted(found - {GRAPH_APP_ID})


def compare_baseline(
    baseline: Iterable[str], seen: Iterable[Granted], observed: set[tuple[str, str]]
) -> BaselineDiff:
    """Diff the baseline against what was *seen*, over what the answers could show
    (*observed*: (kind, API application ID or ``"*"`` for every API))."""
    have = {(g.kind, g.resource.lower(), g.value.casefold()) for g in seen}
    comparable = [
        g for g in parse(baseline) if (g.kind, "*") in observed or (g.kind, g.resource) in observed
    ]
    gone = tuple(
        dict.fromkeys(
            g.label for g in comparable if (g.kind, g.resource, g.value.casefold()) not in have
        )
    )
    return BaselineDiff(len(comparable), gone)


def with_baseline_words(result: CheckResult, diff: BaselineDiff) -> CheckResult:
    """The result in the words of a baseline comparison: what was compared is the
    permissions granted at consent, not the catalog's."""
    if result.status is Status.VALID:
        kept = baseline_kept_reason(diff.count)
        return replace(result, reason=result.reason.replace(all_granted_reason(diff.count), kept))
    if result.status is Status.INVALID and diff.gone:
        listed = missing_permissions_reason(diff.gone)
        revoked = consent_revoked_reason(diff.count)
        words = baseline_gone_reason(list(diff.gone), diff.count)
        reason = result.reason.replace(revoked, words).replace(listed, words)
        return replace(result, reason=reason)
    return result
