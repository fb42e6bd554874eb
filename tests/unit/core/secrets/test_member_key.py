"""This technician's team key pair, kept in the data folder's vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import UserError
from desktop.core.paths import data_paths
from desktop.core.secrets.envelope import fingerprint, public_key_of
from desktop.core.secrets.member_key import (
    MEMBER_KEY_NAME,
    MemberKeys,
    NotEnrolledError,
    parse_public_text,
)
from desktop.core.vault import open_vault
from tests.helpers.keyrings import MemoryKeyring


def test_enroll_once_keeps_the_private_key_encrypted(data_home: Path) -> None:
    keyring = MemoryKeyring()
    keys = MemberKeys(open_vault(data_paths().ensure(), keyring))
    with pytest.raises(NotEnrolledError, match="team enroll"):
        keys.private_key()
    first = keys.enroll()
    assert first.created
    private = keys.private_key()
    assert public_key_of(private) == first.public_key
    assert first.fingerprint == fingerprint(first.public_key)
    # Enrolling again (another run) keeps the pair: keys already shared still open.
    again = MemberKeys(open_vault(data_paths(), keyring)).enroll()
    assert not again.created and again.public_key == first.public_key
    # Neither the disk nor the keyring holds the private key as it is.
    on_disk = (data_paths().vault / f"{MEMBER_KEY_NAME}.bin").read_bytes()
    assert private not in on_disk
    assert all(
        private.hex() not in v and private not in v.encode() for v in keyring.entries.values()
    )


def test_a_lost_keyring_entry_says_how_to_recover(data_home: Path) -> None:
    keys = MemberKeys(open_vault(data_paths().ensure(), MemoryKeyring()))
    keys.enroll()
    elsewhere = MemberKeys(open_vault(data_paths(), MemoryKeyring()))  # another user account
    with pytest.raises(NotEnrolledError, match="enroll --replace"):
        elsewhere.private_key()
    replaced = elsewhere.replace()
    assert elsewhere.public_key() == replaced.public_key


def test_public_key_text_round_trips_and_refuses_garbage(data_home: Path) -> None:
    enrollment = MemberKeys(open_vault(data_paths().ensure(), MemoryKeyring())).enroll()
    assert parse_public_text(enrollment.public_text) == enrollment.public_key
    for bad in ("", "apm-x25519:", "apm-x25519:!!!", "ssh-ed25519 AAAA", "apm-x25519:AAAA"):
        with pytest.raises(UserError, match="not a team member's public key"):
            parse_public_text(bad)
