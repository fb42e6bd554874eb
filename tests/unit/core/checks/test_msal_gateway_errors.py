"""How the real gateway reads a token refusal's AADSTS codes."""

from __future__ import annotations

import pytest

from desktop.core.checks.msal_gateway import _token_error

DESCRIPTION = (
    "AADSTS7000215: Invalid client secret provided. Trace ID: 0b2f Correlation ID: 9c1e "
    "Timestamp: 2026-12-03 10:00:00Z"
)


def test_codes_come_from_error_codes_when_the_answer_has_them() -> None:
    error = _token_error(
        {"error": "invalid_client", "error_codes": [700027], "error_description": DESCRIPTION},
        401,
    )
    assert error.error_codes == (700027,)
    assert error.http_status == 401


@pytest.mark.parametrize("codes", [None, [], "missing"])
def test_an_answer_without_error_codes_is_read_for_the_code_its_description_names(
    codes: object,
) -> None:
    result: dict[str, object] = {"error": "invalid_client", "error_description": DESCRIPTION}
    if codes != "missing":
        result["error_codes"] = codes
    assert _token_error(result, 401).error_codes == (7000215,)


def test_a_description_without_a_code_gives_none() -> None:
    assert (
        _token_error({"error": "invalid_grant", "error_description": "nope"}, 400).error_codes == ()
    )
