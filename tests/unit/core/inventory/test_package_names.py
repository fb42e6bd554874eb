"""The inventory package's names load on first use, each from the module that defines it."""

from __future__ import annotations

import importlib

import pytest

import desktop.core.inventory as inventory


def test_every_public_name_resolves_to_its_definition() -> None:
    assert sorted(inventory.__all__) == sorted(inventory._HOMES)
    for name in inventory.__all__:
        home = importlib.import_module(f"desktop.core.inventory.{inventory._HOMES[name]}")
        assert getattr(inventory, name) is getattr(home, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        inventory.Nothing  # noqa: B018
