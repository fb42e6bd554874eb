"""Silent-token failures are sorted into what the technician can do about them."""

from __future__ import annotations

import pytest

from desktop.core.identity.tenant_token import Problem, classify


def _answer(code: int, error: str = "invalid_grant", **extra: str) -> dict[str, object]:
    return {
        "error": error,
        "error_description": f"AADSTS{code}: words. Trace ID: x",
        "error_codes": [code],
        **extra,
    }


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (90099, Problem.NOT_CONNECTED),
        (65001, Problem.NOT_CONNECTED),
        (50076, Problem.CUSTOMER_POLICY),
        (53003, Problem.CUSTOMER_POLICY),
        (530034, Problem.CUSTOMER_POLICY),
        (500212, Problem.CUSTOMER_POLICY),
        (500213, Problem.CUSTOMER_POLICY),
        (700082, Problem.SIGN_IN_AGAIN),
        (70008, Problem.SIGN_IN_AGAIN),
        (50173, Problem.SIGN_IN_AGAIN),
        (90055, Problem.UNAVAILABLE),
        (50020, Problem.NO_ACCESS),
        (7000112, Problem.OTHER),
    ],
)
def test_each_code_has_its_case(code: int, problem: Problem) -> None:
    error = classify(_answer(code), "contoso.onmicrosoft.com")
    assert error.problem is problem
    assert error.codes == (code,)
    assert "Trace ID" not in error.one_line()


def test_actions_name_the_button() -> None:
    assert classify(_answer(90099), "t").action == "Connect this tenant"
    assert classify(_answer(700082), "t").action == "Sign in"
    assert classify(_answer(53003), "t").action == ""


def test_policy_names_what_the_customer_admin_must_change() -> None:
    line = classify(_answer(500213), "contoso.onmicrosoft.com").one_line()
    assert "cross-tenant access policy" in line
    assert "contoso.onmicrosoft.com" in line
    assert "administrator" in line


def test_codes_only_in_the_description_still_count() -> None:
    answer = {"error": "invalid_grant", "error_description": "AADSTS90099: Applications must…"}
    assert classify(answer, "t").problem is Problem.NOT_CONNECTED


def test_correlation_id_kept_for_the_ticket() -> None:
    error = classify(_answer(53003, correlation_id="abc-123"), "t")
    assert "abc-123" in error.detail
