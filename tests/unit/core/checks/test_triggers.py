"""Events that require re-authorization before a check fails."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.core.checks.triggers import Trigger, applies, mark_for, triggers_for_edit
from desktop.core.domain import Status
from tests.helpers.check_fakes import profile


@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_trigger_marks_invalid_with_words(trigger: Trigger) -> None:
    mark = mark_for(profile(consenting_user="ann@contoso.com"), trigger)
    assert mark.status is Status.INVALID
    assert mark.reason.startswith("Re-authorization required: ")
    assert mark.remedy.startswith("Re-authorize")


def test_user_events_name_the_user() -> None:
    p = profile("delegated-app", consenting_user="ann@contoso.com")
    assert "ann@contoso.com" in mark_for(p, Trigger.USER_LEFT).reason
    assert "multi-factor" in mark_for(p, Trigger.USER_MFA_ENABLED).reason


def test_user_events_apply_only_to_delegated_apps() -> None:
    p = profile()
    assert not applies(p, Trigger.USER_LEFT, has_delegated_permissions=False)
    assert applies(p, Trigger.USER_LEFT, has_delegated_permissions=True)
    assert applies(p, Trigger.CERTIFICATE_CHANGED, has_delegated_permissions=False)


def test_edits_that_need_reauthorization_are_found() -> None:
    before = profile(functions=("power-bi",))
    assert triggers_for_edit(before, replace(before)) == []
    assert triggers_for_edit(before, replace(before, certificate_ref="cert-2")) == [
        Trigger.CERTIFICATE_CHANGED
    ]
    assert triggers_for_edit(before, replace(before, custom_app_id="x")) == [Trigger.APP_ID_CHANGED]
    assert triggers_for_edit(before, replace(before, functions=("power-bi", "teams"))) == [
        Trigger.FUNCTIONS_CHANGED
    ]
    assert triggers_for_edit(before, replace(before, name="renamed")) == []
