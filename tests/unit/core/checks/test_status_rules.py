"""The status table, code by code, against the field notes and the design's Status section."""

from __future__ import annotations

import pytest

from desktop.core.checks.status_rules import (
    CODE_RULES,
    Action,
    classify,
    find_rule,
)
from desktop.core.domain import Status

INV, EXP = Status.INVALID, Status.EXPIRED

#: Every code the field notes list, with the status the design gives it (None: transient).
EXPECTED: dict[int, Status | None] = {
    # no consent or no app
    65001: INV, 90094: INV, 90095: INV, 65004: INV, 700016: INV, 7000229: INV, 500011: INV,
    90099: INV, 90002: INV,
    # app disabled
    7000112: INV, 70001: INV,
    # credentials
    7000215: INV, 7000222: EXP, 50012: INV,
    # MFA / Conditional Access
    50076: INV, 50079: INV, 50074: INV, 50078: EXP, 50158: INV, 53003: INV, 53000: INV, 53001: INV,
    530032: INV, 70043: EXP,
    # refresh token gone
    70000: INV, 70008: EXP, 700082: EXP, 50173: INV, 50133: INV, 50132: INV, 50089: EXP,
    # account
    50055: EXP, 50144: EXP, 50057: INV, 50053: INV, 50034: INV, 50020: INV, 16000: INV, 50105: INV,
    # transient
    50196: None, 90055: None, 50000: None, 90033: None, 90006: None, 90024: None, 1000031: None,
    # misconfiguration (app registration, this computer's clock, the cloud): never Invalid
    7000218: None, 65005: None, 650056: None, 650057: None, 50194: None, 700024: None,
    90038: None, 900382: None, 900432: None, 500021: None,
    # the tenant lacks a service, or its policies block the sign-in
    650052: INV, 500212: INV, 500213: INV, 530034: INV, 53011: INV, 50131: INV, 530035: INV,
    90072: INV,
}  # fmt: skip


@pytest.mark.parametrize(("code", "status"), sorted(EXPECTED.items()))
def test_every_noted_code_decides_its_status(code: int, status: Status | None) -> None:
    verdict = classify("invalid_grant", [code], f"AADSTS{code}: text", user="ann@contoso.com")
    assert verdict.status is status
    assert verdict.transient is (status is None)
    assert verdict.reason and (verdict.reason[0].isupper() or verdict.reason.startswith("ann@"))
    assert verdict.remedy
    assert "{" not in verdict.reason + verdict.remedy


def test_the_table_covers_every_noted_code_and_no_other() -> None:
    assert set(CODE_RULES) == set(EXPECTED) | {700027}  # 700027 is tested by its text below


@pytest.mark.parametrize(
    ("description", "status", "words"),
    [
        (
            "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key "
            "was not found., Thumbprint of key used by client: 'AB12']",
            INV,
            "no longer knows this certificate",
        ),
        (
            "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key "
            "used is expired., Thumbprint of key used by client: 'AB12']",
            EXP,
            "certificate has expired",
        ),
        (
            "AADSTS700027: Client assertion failed signature validation.",
            INV,
            "does not match",
        ),
    ],
)
def test_700027_is_told_apart_by_its_text(description: str, status: Status, words: str) -> None:
    verdict = classify("invalid_client", [700027], description)
    assert verdict.status is status
    assert words in verdict.reason
    assert verdict.action is Action.CHOOSE_CERTIFICATE


def test_seed_situations_have_their_words() -> None:
    mfa = classify("invalid_grant", [50076], user="ann@contoso.com")
    assert "Multi-factor authentication was enabled for ann@contoso.com" in mfa.reason
    password = classify("invalid_grant", [50173], user="ann@contoso.com")
    assert "password was changed" in password.reason
    disabled = classify("invalid_grant", [50057], user="ann@contoso.com")
    assert "disabled" in disabled.reason
    left = classify("invalid_grant", [50034], user="ann@contoso.com")
    assert "left the company" in left.reason
    revoked = classify("invalid_grant", [65001])
    assert "revoked" in revoked.reason
    deleted = classify("unauthorized_client", [700016])
    assert "deleted" in deleted.reason


def test_conditional_access_codes_carry_the_original_ip_note() -> None:
    for code in (53003, 53000, 53001, 530032, 50158):
        verdict = classify("interaction_required", [code])
        assert verdict.conditional_access, code
        assert "original IP" in verdict.remedy
    assert not classify("invalid_grant", [50076]).conditional_access


def test_unknown_user_reads_naturally() -> None:
    verdict = classify("invalid_grant", [50057])
    assert verdict.reason == "The consenting user's account is disabled."


def test_remedy_names_user_consent_only_where_the_app_supports_it() -> None:
    admin_only = classify("invalid_grant", [65001], supports_user_consent=False)
    both = classify("invalid_grant", [65001], supports_user_consent=True)
    assert "user consent" not in admin_only.remedy
    assert "administrator or user consent" in both.remedy


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("invalid_grant", INV),
        ("invalid_client", None),  # a publisher app: see the custom-mode test below
        ("interaction_required", INV),
        ("consent_required", INV),
        ("temporarily_unavailable", None),
    ],
)
def test_error_field_decides_when_no_code_is_known(error: str, status: Status | None) -> None:
    assert classify(error, [99999999]).status is status
    assert classify(error, []).status is status


@pytest.mark.parametrize("http_status", [429, 500, 502, 503, 504])
def test_throttling_and_server_errors_never_decide_a_status(http_status: int) -> None:
    # Even a body that names a status-deciding code stays transient on 429/5xx.
    verdict = classify("invalid_grant", [65001], http_status=http_status)
    assert verdict.transient
    assert verdict.action is Action.CHECK_AGAIN


def test_a_transient_code_inside_a_5xx_keeps_its_own_words() -> None:
    assert "throttling" in find_rule("", [90055], http_status=429).reason


def test_an_unrecognised_error_is_not_invalid() -> None:
    verdict = classify("invalid_request", [12345])
    assert verdict.transient
    assert verdict.status is None


def test_the_first_known_code_wins() -> None:
    assert classify("invalid_grant", [1, 50034, 50076]).status is INV
    assert "no longer exists" in classify("invalid_grant", [1, 50034, 50076]).reason


def test_a_user_name_at_the_start_keeps_its_case() -> None:
    verdict = classify("invalid_grant", [50057], user="ann@contoso.com")
    assert verdict.reason == "ann@contoso.com's account is disabled."


def test_invalid_client_means_choose_a_certificate_only_in_custom_mode() -> None:
    custom = classify("invalid_client", [], custom=True)
    assert custom.status is INV and custom.action is Action.CHOOSE_CERTIFICATE
    publisher = classify("invalid_client", [])
    assert publisher.transient and publisher.action is not Action.CHOOSE_CERTIFICATE
    assert "configuration" in publisher.reason and "certificate" not in publisher.remedy


def test_public_client_refusal_says_what_is_misconfigured() -> None:
    verdict = classify("invalid_client", [7000218], "AADSTS7000218: The request body must ...")
    assert verdict.transient  # a configuration problem, never Invalid
    assert "public client" in verdict.reason and "Mobile and desktop" in verdict.remedy
    assert verdict.action is not Action.CHOOSE_CERTIFICATE


def test_a_missing_service_in_the_tenant_says_so() -> None:
    verdict = classify("invalid_client", [650052], "AADSTS650052: The app needs access ...")
    assert verdict.status is INV and verdict.action is Action.FIX_IN_TENANT
    assert "service" in verdict.reason and "subscribe" in verdict.remedy


def test_clock_skew_is_not_a_certificate_problem() -> None:
    verdict = classify("invalid_client", [700024], custom=True)
    assert verdict.transient and "clock" in verdict.remedy
