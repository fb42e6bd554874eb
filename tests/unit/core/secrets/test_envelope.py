"""Envelope encryption: round trips, row binding, and every damaged byte refused in words."""

from __future__ import annotations

import pytest

from desktop.core.secrets.envelope import (
    EnvelopeError,
    fingerprint,
    new_private_key,
    open_secret,
    public_key_of,
    seal,
    unwrap,
    wrap,
)

SECRET = b"-----BEGIN PRIVATE KEY-----\nnot really a key, but bytes to protect\n"


def _member() -> tuple[bytes, bytes]:
    private = new_private_key()
    return private, public_key_of(private)


def test_a_secret_wrapped_for_two_members_opens_for_each() -> None:
    alice, alice_pub = _member()
    bob, bob_pub = _member()
    data_key, ciphertext = seal("cert-1", SECRET)
    assert SECRET not in ciphertext and data_key not in ciphertext
    for_alice = wrap("cert-1", "alice", data_key, alice_pub)
    for_bob = wrap("cert-1", "bob", data_key, bob_pub)
    assert data_key not in for_alice and for_alice != for_bob
    assert open_secret("cert-1", unwrap("cert-1", "alice", for_alice, alice), ciphertext) == SECRET
    assert open_secret("cert-1", unwrap("cert-1", "bob", for_bob, bob), ciphertext) == SECRET
    # Each seal has its own data key.
    assert seal("cert-1", SECRET)[0] != data_key


def test_rows_cannot_be_swapped_between_secrets_or_members() -> None:
    alice, alice_pub = _member()
    bob, _bob_pub = _member()
    data_key, ciphertext = seal("cert-1", SECRET)
    for_alice = wrap("cert-1", "alice", data_key, alice_pub)
    with pytest.raises(EnvelopeError, match="does not open"):
        unwrap("cert-2", "alice", for_alice, alice)  # copied to another secret's row
    with pytest.raises(EnvelopeError, match="does not open"):
        unwrap("cert-1", "bob", for_alice, alice)  # copied to another member's row
    with pytest.raises(EnvelopeError, match="does not open"):
        unwrap("cert-1", "alice", for_alice, bob)  # someone else's private key
    with pytest.raises(EnvelopeError, match="damaged"):
        open_secret("cert-2", data_key, ciphertext)  # ciphertext copied to another secret
    other_key, _ = seal("cert-1", SECRET)
    with pytest.raises(EnvelopeError, match="damaged"):
        open_secret("cert-1", other_key, ciphertext)


def _damaged(data: bytes) -> list[bytes]:
    """Every truncation and every single-bit flip of *data*, plus an appended byte."""
    cases = [data[:n] for n in range(len(data))]
    for i in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[i] ^= 1 << bit
            cases.append(bytes(flipped))
    cases.append(data + b"\0")
    return cases


def test_every_damaged_ciphertext_is_one_clear_error() -> None:
    data_key, ciphertext = seal("cert-1", b"short secret")
    for damaged in _damaged(ciphertext):
        with pytest.raises(EnvelopeError) as raised:
            open_secret("cert-1", data_key, damaged)
        assert raised.value.one_line().startswith("The encrypted secret cert-1 is damaged")


def test_every_damaged_wrapped_key_is_one_clear_error() -> None:
    private, public = _member()
    data_key, _ = seal("cert-1", SECRET)
    wrapped = wrap("cert-1", "alice", data_key, public)
    cases = _damaged(wrapped)
    assert len(cases) > 8 * len(wrapped)
    for damaged in cases:
        with pytest.raises(EnvelopeError) as raised:
            unwrap("cert-1", "alice", damaged, private)
        assert "does not open with your key" in raised.value.one_line()


def test_bad_keys_are_refused_in_words() -> None:
    data_key, _ = seal("cert-1", SECRET)
    with pytest.raises(EnvelopeError, match="published key of bob is not a 32-byte"):
        wrap("cert-1", "bob", data_key, b"short")
    with pytest.raises(EnvelopeError, match="not a usable X25519 key"):
        wrap("cert-1", "bob", data_key, bytes(32))  # the all-zero, low-order point
    with pytest.raises(EnvelopeError, match="Your private key"):
        unwrap("cert-1", "bob", b"", b"x")


def test_fingerprint_is_speakable_and_tells_keys_apart() -> None:
    _, one = _member()
    _, two = _member()
    text = fingerprint(one)
    groups = text.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert text == fingerprint(one) and text != fingerprint(two)
