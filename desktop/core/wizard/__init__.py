"""The create-profile wizard as a Qt-free step machine, and what its Save writes."""

from __future__ import annotations

from desktop.core.wizard.machine import CreateProfileWizard, family_label
from desktop.core.wizard.plan import SavePlan, build_plan, summary_lines
from desktop.core.wizard.state import (
    ConsentRow,
    ConsentState,
    RoleItem,
    RoleState,
    Step,
    WizardState,
    normalize_guid,
)

__all__ = [
    "ConsentRow",
    "ConsentState",
    "CreateProfileWizard",
    "RoleItem",
    "RoleState",
    "SavePlan",
    "Step",
    "WizardState",
    "build_plan",
    "family_label",
    "normalize_guid",
    "summary_lines",
]
