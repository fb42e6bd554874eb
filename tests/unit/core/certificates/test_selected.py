"""A chosen certificate carries what the wizard needs, typed: its contents to sign the
verification with, and the .pfx with its password for the vault at Save."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from desktop.core.certificates import inspect, read_pfx
from desktop.core.certificates.selected import SelectedCertificate
from tests.helpers.certificates import app_certificate


def _selected() -> SelectedCertificate:
    _cert, pfx = app_certificate()
    contents = read_pfx(pfx, "pw")
    return SelectedCertificate(None, inspect(contents), contents, pfx, "pw")


def test_a_valid_certificate_with_its_key_is_usable_for_a_profile() -> None:
    selected = _selected()
    assert selected.usable_for_profile
    assert selected.contents.certificate == read_pfx(selected.pfx_bytes, "pw").certificate


def test_an_expired_certificate_is_not() -> None:
    selected = _selected()
    later = selected.info.not_after + timedelta(days=1)
    expired = dataclasses.replace(selected, info=inspect(selected.contents, now=later))
    assert expired.info.expired
    assert not expired.usable_for_profile
