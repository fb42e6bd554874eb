"""Roles said once, and Azure role requirements as sentences, over every shipped app."""

from __future__ import annotations

import re

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import AzureRoleRequirement
from desktop.core.catalog.query import azure_role_text, role_lines, role_text

CATALOG = load_shipped()


def test_no_role_bullet_repeats_itself() -> None:
    for app in CATALOG.app_types:
        for line in role_lines(app):
            text = role_text(line).lower()
            for mode in ("modern mode", "custom mode"):
                assert text.count(mode) <= 1, (app.id, line.role, text)
            sentences = [s.strip() for s in re.split(r"[.;]", text) if s.strip()]
            assert len(sentences) == len(set(sentences)), (app.id, line.role, text)
            if line.note:
                assert text == line.note.lower(), "the note says it; nothing is added to it"


def test_azure_roles_read_as_sentences() -> None:
    for app in CATALOG.app_types:
        for req in app.azure_roles:
            text = azure_role_text(req)
            assert "(if" not in text and "((" not in text
            assert text.startswith(req.scope) and req.requirement in text
            assert text.endswith("."), text
    instruction = AzureRoleRequirement("Subscription", "Contributor role", "Add the app to it.")
    assert azure_role_text(instruction) == "Subscription: Contributor role. Add the app to it."
    case = AzureRoleRequirement("Key Vault", "Reader", "The model is RBAC")
    assert azure_role_text(case) == "Key Vault, when the model is RBAC: Reader."
    assert azure_role_text(AzureRoleRequirement("Tenant", "Reader")) == "Tenant: Reader."
