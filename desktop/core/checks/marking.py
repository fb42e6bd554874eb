"""Recording an event that requires re-authorization (seed 000): "the consenting user left the
company" or "MFA was enabled for the consenting user". Shared by the profile list and the
``profiles mark`` command, through the triggers in :mod:`desktop.core.checks.triggers`."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.catalog.model import Catalog
from desktop.core.checks.service import CheckStore
from desktop.core.checks.triggers import RECORDABLE, Mark, Trigger, applies, mark_for
from desktop.core.errors import UserError

#: What each recordable event is called in the history and in menus.
EVENT_WORDS = {
    Trigger.USER_LEFT: "The consenting user left the company",
    Trigger.USER_MFA_ENABLED: "MFA was enabled for the consenting user",
}


def record_event(
    store: CheckStore,
    catalog: Catalog,
    ids: Sequence[int],
    trigger: Trigger,
    note: str = "",
) -> list[tuple[int, Mark]]:
    """Mark every profile in *ids* "re-authorization required" for *trigger*, with a history
    entry. Nothing is marked when one of them cannot be (no consenting user, unknown app type):
    the UserError names it."""
    if trigger not in RECORDABLE:
        raise UserError(f"'{trigger}' is noticed when a profile is edited, not recorded by hand.")
    targets = store.targets(list(ids))
    refused: list[str] = []
    for target in targets:
        profile = target.profile
        try:
            app = catalog.app_type(profile.app_type_id)
        except KeyError:
            refused.append(f"{profile.name} (app type '{profile.app_type_id}' is unknown)")
            continue
        if not applies(profile, trigger, has_delegated_permissions=app.has_delegated_permissions):
            refused.append(f"{profile.name} ({app.name} uses application permissions only)")
    if refused:
        raise UserError(
            "These app profiles have no consenting user, so a user event does not affect "
            "them: " + "; ".join(refused) + ".",
            remedy="Select only app profiles of apps with delegated permissions.",
        )
    detail = EVENT_WORDS[trigger] + (f": {note.strip()}" if note.strip() else ".")
    marks: list[tuple[int, Mark]] = []
    for target in targets:
        assert target.profile.id is not None
        mark = mark_for(target.profile, trigger)
        store.record_mark(target.profile.id, mark, detail)
        marks.append((target.profile.id, mark))
    return marks
