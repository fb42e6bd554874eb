"""What the GUI's team step decides without a server: fingerprints as read out, who waits for
approval, whether the key is to be offered, and what a removed member could read."""

from __future__ import annotations

from desktop.core.secrets.team_keys import TeamKeyView
from desktop.core.secrets.team_members import CouldRead, Removal, same_fingerprint

FP = "AD13 70B9 4A03 ECDA D74C 1304 B9DD 7DA6"


def test_a_fingerprint_read_out_matches_without_spaces_or_case() -> None:
    assert same_fingerprint(FP, "ad1370b94a03ecdad74c1304b9dd7da6")
    assert same_fingerprint(FP, f"  {FP.lower()} ")
    assert not same_fingerprint(FP, FP.replace("AD13", "AD14"))
    assert not same_fingerprint(FP, FP[:-5])


def test_the_key_is_offered_in_team_mode_until_published() -> None:
    assert not TeamKeyView().needs_key  # solo mode: nothing to offer
    assert TeamKeyView(team_mode=True).needs_key  # no key yet
    assert TeamKeyView(FP, "alice", published=False, team_mode=True).needs_key  # not this one
    assert not TeamKeyView(FP, "alice", published=True, team_mode=True).needs_key


def test_members_not_approved_wait() -> None:
    view = TeamKeyView(FP, "alice", True, True, approved=frozenset({"carol"}))
    assert view.waiting("bob") and not view.waiting("carol")


def test_a_removal_splits_certificates_from_sign_ins() -> None:
    cert = CouldRead("cert-1", "certificate", ("Contoso custom",))
    token = CouldRead("tok-1", "refresh-token", ("Contoso AOS",), "admin@contoso.com")
    removal = Removal("bob", (cert, token), removed=True)
    assert removal.certificates == (cert,) and removal.sign_ins == (token,)
