"""The check bar's words for failed checks, and the fix it offers: the action the checks named
(connect the tenant, sign in) first, then what their reasons say."""

from __future__ import annotations

from collections import Counter

from desktop.ui.check_failures import FailureFix, explain_failures, needs_client_id

NOT_CONNECTED = "The sign-in app is not authorized in contoso.onmicrosoft.com (AADSTS90099)"
NO_CLIENT_ID = "no client ID is set for the app type APElements Automation"


def test_a_named_connect_action_offers_connect_this_tenant_even_signed_out() -> None:
    explained = explain_failures(Counter({NOT_CONNECTED: 3}), False, "connect_tenant")
    assert explained.fix is FailureFix.CONNECT_TENANT
    assert (
        explained.cause == f"{NOT_CONNECTED}. Connect the tenant to your sign-in, then check again"
    )


def test_a_named_sign_in_action_offers_sign_in() -> None:
    explained = explain_failures(Counter({"Your sign-in has expired": 2}), True, "sign_in")
    assert explained.fix is FailureFix.SIGN_IN
    assert explained.cause.endswith("Sign in, then check again")


def test_the_words_decide_without_a_named_action() -> None:
    assert explain_failures(Counter({NOT_CONNECTED: 1}), True).fix is FailureFix.CONNECT_TENANT
    settings = explain_failures(Counter({NO_CLIENT_ID: 4}), True)
    assert settings.fix is FailureFix.OPEN_SETTINGS
    assert settings.cause == f"{NO_CLIENT_ID}. Set it in Settings, then check again"
    assert needs_client_id(NO_CLIENT_ID) and not needs_client_id(NOT_CONNECTED)


def test_nothing_to_press_for_an_outage() -> None:
    explained = explain_failures(Counter({"Microsoft Graph answered 503": 5}), True, "")
    assert explained.fix is None and explained.cause == "Microsoft Graph answered 503"


def test_a_named_action_wins_over_the_words() -> None:
    # The reason reads like "not authorized in" but the check named another action: no
    # Connect this tenant button from the words.
    said = Counter({"the app is not authorized in contoso: ask its admin": 2})
    explained = explain_failures(said, True, "fix_in_tenant")
    assert explained.fix is None
    assert explained.cause == "the app is not authorized in contoso: ask its admin"
    assert explain_failures(said, True).fix is FailureFix.CONNECT_TENANT  # words, none named
