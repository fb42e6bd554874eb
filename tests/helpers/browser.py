"""A browser stand-in for end-to-end tests: it really fetches the URLs, submits the sandbox's
``form_post`` forms, and clicks Accept or Cancel on the admin-consent page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests


@dataclass
class Form:
    id: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("id", ""), a.get("action", ""), a.get("method", "get")))
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "select" and self.forms:
            self._select = a.get("name")
        elif tag == "option" and self._select and self.forms:
            fields = self.forms[-1].fields
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def parse_forms(text: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(text)
    return parser.forms


@dataclass
class StandInBrowser:
    """Call it with a URL, as ``webbrowser`` would be called.

    ``decision`` is ``accept`` or ``cancel`` for the consent page; ``upn`` picks the account
    "signed in"; ``None`` as decision only loads the page (the user walks away).
    """

    ca_bundle: Path | None
    decision: str | None = "accept"
    upn: str | None = None
    visited: list[str] = field(default_factory=list)
    last_response: requests.Response | None = None
    #: False: stop at the consent page's final redirect (the customer's admin, whose browser
    #: cannot reach this computer's localhost); ``last_response`` is then that redirect.
    follow_final_redirect: bool = True
    #: Called once the browser has settled (e.g. the technician, looking at Microsoft's error
    #: page, presses Cancel).
    on_done: Callable[[], None] | None = None

    def __call__(self, url: str) -> None:
        self.visited.append(url)
        session = requests.Session()
        session.verify = str(self.ca_bundle) if self.ca_bundle else True
        response = session.get(url, timeout=30)
        for _ in range(5):
            forms = (
                parse_forms(response.text)
                if "text/html" in response.headers.get("Content-Type", "")
                else []
            )
            form = next((f for f in forms if f.id in ("consent", "reply")), None)
            if form is None:
                break
            data = dict(form.fields)
            if form.id == "consent":
                if self.decision is None:
                    break
                data["decision"] = self.decision
                if self.upn:
                    data["upn"] = self.upn
            target = urljoin(response.url, form.action) if form.action else response.url
            follow = self.follow_final_redirect or form.id != "consent"
            response = session.post(target, data=data, timeout=30, allow_redirects=follow)
        self.last_response = response
        if self.on_done is not None:
            self.on_done()
