"""Explaining a code or trace ID pasted from Microsoft's error page."""

from __future__ import annotations

from desktop.core.identity.explain import explain_pasted

PAGE = (
    "Sorry, but we're having trouble signing you in.\n"
    "AADSTS50020: User account 'ann@fabrikam.com' from identity provider "
    "'https://sts.windows.net/…/' does not exist in tenant 'Contoso'.\n"
    "Trace ID: 0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f\n"
    "Correlation ID: 11111111-2222-3333-4444-555555555555"
)


def test_a_copied_error_page_is_explained_through_the_code_table() -> None:
    found = explain_pasted(PAGE, "contoso.com")
    assert found.codes == (50020,)
    assert "another organization" in found.message and "contoso.com" in found.message
    assert found.trace_ids[0] == "0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f"
    assert "0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f" in found.remedy


def test_a_bare_number_is_read_as_a_code() -> None:
    assert explain_pasted(" 53003 ").codes == (53003,)
    assert "Conditional Access" in explain_pasted("aadsts53003").message


def test_a_trace_id_alone_asks_for_the_code() -> None:
    found = explain_pasted("Trace ID: 0f6b9f0e-5d2c-4a8e-9a51-0c1b2c3d4e5f")
    assert not found.codes and found.trace_ids
    assert "AADSTS" in found.remedy and "sign-in logs" in found.remedy


def test_an_unknown_code_points_to_microsofts_lookup() -> None:
    found = explain_pasted("AADSTS9999999")
    assert "not an error this version knows" in found.message
    assert "login.microsoftonline.com/error?code=9999999" in found.remedy


def test_nothing_recognisable_says_what_to_paste() -> None:
    assert "starts with AADSTS" in explain_pasted("it did not work").remedy
