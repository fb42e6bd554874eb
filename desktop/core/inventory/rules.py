"""The delete rule (seed 002): a profile whose app type cannot be created here cannot be
deleted here either. The vault hook used when profiles go away."""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.catalog.model import Catalog, SetupMode

#: Removes one certificate (and its password) from the vault, given the profile's reference.
RemoveSecret = Callable[[str], None]


def delete_blocker(app_type_id: str, catalog: Catalog) -> str:
    """Why a profile of *app_type_id* cannot be deleted here, or ``""`` when it can."""
    try:
        app = catalog.app_type(app_type_id)
    except KeyError:
        return (
            f"Its app type ({app_type_id}) is not in this app's catalog, and this app deletes "
            "only the app profiles it can create. Delete it where it was created."
        )
    if not app.creatable:
        where = (
            " (classic app profiles: in AvePoint Online Services)"
            if SetupMode.CLASSIC in app.modes
            else ""
        )
        return (
            f"{app.name} app profiles cannot be created in this app, so this app does not "
            f"delete them either. Delete them where they were created{where}."
        )
    return ""


def app_type_name(app_type_id: str, catalog: Catalog) -> str:
    try:
        return catalog.app_type(app_type_id).name
    except KeyError:
        return app_type_id
