""" "Check again": one click keeps checking until the consent appears, or stops sensibly."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.catalog.loader import load_shipped
from desktop.core.domain import Tenant
from desktop.core.errors import CancelledError
from desktop.core.wizard.check_loop import check_until_consented
from desktop.core.wizard.guidance import consent_link_note
from desktop.core.wizard.ports import ConsentOutcome, ConsentRequest

NOT_YET = ConsentOutcome(False, message="Not consented yet: no app.", pending=True)


@dataclass
class Engine:
    answers: list[ConsentOutcome]
    token: CancelToken | None = None
    cancel_after: int = 0
    calls: int = 0
    notes: list[str] = field(default_factory=list)

    def consent_link(self, request: ConsentRequest) -> str:
        raise AssertionError("not used")

    def consent(
        self, request: ConsentRequest, token: CancelToken, progress: object
    ) -> ConsentOutcome:
        raise AssertionError("not used")

    def check(
        self, request: ConsentRequest, token: CancelToken, progress: object
    ) -> ConsentOutcome:
        self.calls += 1
        if self.cancel_after and self.calls >= self.cancel_after:
            token.cancel()
        return self.answers.pop(0)


def request() -> ConsentRequest:
    app = load_shipped().app_type("apelements-automation")
    return ConsentRequest(Tenant("8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59", 1), app, "c")


def run(engine: Engine, **kwargs: float) -> tuple[ConsentOutcome, list[str]]:
    said: list[str] = []
    outcome = check_until_consented(
        engine, request(), CancelToken(), lambda d, t, text: said.append(text), **kwargs
    )
    return outcome, said


def test_checks_until_granted() -> None:
    engine = Engine([NOT_YET, NOT_YET, ConsentOutcome(True, message="There.")])
    outcome, said = run(engine, interval=0.0)
    assert outcome.granted and engine.calls == 3
    assert any("checked 2×" in text for text in said)


@pytest.mark.parametrize(
    "final",
    [
        ConsentOutcome(False, declined=True, message="Declined."),
        ConsentOutcome(False, message="Not checked: you are not signed in."),
    ],
)
def test_stops_when_declined_or_not_checkable(final: ConsentOutcome) -> None:
    engine = Engine([NOT_YET, final])
    outcome, _ = run(engine, interval=0.0)
    assert outcome is final and engine.calls == 2


def test_gives_up_after_the_wait_and_says_so() -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 40.0  # every look at the clock: 40 s later
        return now[0]

    engine = Engine([NOT_YET] * 10)
    said: list[str] = []
    outcome = check_until_consented(
        engine,
        request(),
        CancelToken(),
        lambda d, t, text: said.append(text),
        interval=0.0,
        give_up_after=60.0,
        clock=clock,
    )
    assert not outcome.granted and outcome.pending
    assert "Stopped checking after 1 minutes" in outcome.message
    assert engine.calls == 2


def test_cancel_stops_waiting() -> None:
    engine = Engine([NOT_YET] * 5, cancel_after=1)
    with pytest.raises(CancelledError):
        run(engine, interval=30.0)  # the wait ends at once when cancelled
    assert engine.calls == 1


def test_link_note_says_what_the_admin_sees() -> None:
    local = "https://login/t/v2.0/adminconsent?redirect_uri=http%3A%2F%2Flocalhost%2Fconsent"
    assert "This site can't be reached" in consent_link_note(local)
    assert "Check again" in consent_link_note(local)
    landing = "https://login/t/v2.0/adminconsent?redirect_uri=https%3A%2F%2Fmsp.example.net%2Fok"
    note = consent_link_note(landing)
    assert "msp.example.net" in note and "reached" not in note
