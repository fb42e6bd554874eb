"""What a failed consent says, by AADSTS code: the consent table and the status checks' one."""

from __future__ import annotations

import pytest

from desktop.core.checks.status_rules import CODE_RULES
from desktop.core.identity.consent_errors import consent_error, known_code

#: The codes the field notes list as "more codes worth a rule".
MORE_CODES = (
    7000218, 650052, 65005, 650056, 650057, 1000031, 50194, 90072, 500212, 500213, 500021,
    530034, 53011, 700024, 50131, 530035, 90038, 900382, 900432,
)  # fmt: skip


@pytest.mark.parametrize("code", MORE_CODES)
def test_every_further_noted_code_has_its_own_words(code: int) -> None:
    problem = consent_error("invalid_request", f"AADSTS{code}: text", (code,), "contoso.com")
    assert not problem.message.startswith("Microsoft refused the consent")
    assert problem.remedy and "{" not in problem.message + problem.remedy
    assert f"AADSTS{code}" in problem.detail


@pytest.mark.parametrize("code", sorted(CODE_RULES))
def test_every_code_the_checks_know_is_explained_at_consent_too(code: int) -> None:
    assert known_code(code)
    problem = consent_error("invalid_grant", f"AADSTS{code}: text", (code,), "contoso.com")
    assert not problem.message.startswith("Microsoft refused the consent"), code
    assert "{" not in problem.message + problem.remedy


def test_public_client_refusal_names_the_registration_not_a_certificate() -> None:
    problem = consent_error("invalid_client", "AADSTS7000218: ...", (7000218,), "contoso.com")
    assert "configuration problem of the app registration" in problem.message
    assert "Mobile and desktop" in problem.remedy
    assert "certificate" not in problem.remedy


def test_missing_service_says_what_the_tenant_lacks() -> None:
    problem = consent_error("invalid_client", "AADSTS650052: ...", (650052,), "contoso.com")
    assert "contoso.com does not have" in problem.message


def test_a_cancel_told_only_by_its_subcode_is_the_decline() -> None:
    # Microsoft may answer Cancel with error=access_denied&error_subcode=cancel alone.
    problem = consent_error("access_denied", "", (), "contoso.com", "cancel")
    assert problem.message.startswith("Consent was declined")
    assert "(cancel)" in problem.detail
    plain = consent_error("access_denied", "", (), "contoso.com")
    assert plain.message == "Consent was not granted."
