"""Custom-mode certificates in the main window: the list's expiry hints, Profiles >
Certificate expiry…, and Rotate certificate… (the list's menu, the Profiles menu and the
expiry view's button).

Everything heavy is made on first use: the hints' controller once a list holding a
custom-mode profile has loaded, the dialogs when first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop.core.catalog.model import SetupMode

from desktop.ui.profiles.certificate_badges import AMBER, RED

if TYPE_CHECKING:
    from desktop.controllers.certificate_badges import CertificateBadgeController
    from desktop.controllers.inventory import FullList, ProfileChanges
    from desktop.controllers.tasks import TaskRunner
    from desktop.core.checks.result import CheckResult
    from desktop.core.inventory.profiles import ProfileDetails
    from desktop.core.services import CoreServices

    from desktop.ui.certificate_expiry_dialog import CertificateExpiryOpener
    from desktop.ui.certificate_rotation_dialog import CertificateRotationDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.profiles.page import ProfilesPage

ROTATE_TIP = "Create a new certificate for the selected custom-mode profile, then verify it"
ROTATE_DISABLED_TIP = "Select one custom-mode app profile to rotate its certificate."


class CertificateLifecycle(QObject):
    """Wires the hints, the expiry view and the rotation into the window.

    Attributes:
        rotate_action: Rotate certificate… (enabled for one selected custom-mode profile).
        expiry_action: Profiles > Certificate expiry….
        rotation_dialog, expiry: the dialog and the expiry view's opener, once made.
    """

    def __init__(
        self,
        window: MainWindow,
        page: ProfilesPage,
        runner: TaskRunner,
        services: CoreServices,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._page = page
        self._runner = runner
        self._services = services
        self._badges: CertificateBadgeController | None = None
        self.rotation_dialog: CertificateRotationDialog | None = None
        self.expiry: CertificateExpiryOpener | None = None

        self.expiry_action = QAction("Certificate e&xpiry…", window)
        self.expiry_action.setObjectName("CertificateExpiryAction")
        self.expiry_action.triggered.connect(self.open_expiry)
        self.rotate_action = QAction("R&otate certificate…", page)
        self.rotate_action.setObjectName("RotateCertificateAction")
        self.rotate_action.triggered.connect(self.rotate_selected)
        window.profiles_menu.addAction(self.expiry_action)
        window.profiles_menu.addAction(self.rotate_action)
        window.profiles_menu.aboutToShow.connect(self._give_icons)
        page.selection_actions.append(self.rotate_action)

        page.details_shown.connect(self._on_details_shown)
        page.controller.rows_loaded.connect(self._on_rows_loaded)
        page.controller.profiles_changed.connect(self._on_profiles_changed)
        page.table.selectionModel().selectionChanged.connect(self._update_rotate)
        page.model.modelReset.connect(self._update_rotate)
        self._update_rotate()

    # -- the list's hints ------------------------------------------------------------------

    def reload_hints(self, full: FullList | None = None) -> None:
        """Read the list's certificate expiry hints again (off the GUI thread)."""
        if self._badges is None:
            from desktop.controllers.certificate_badges import CertificateBadgeController

            self._badges = CertificateBadgeController(
                self._runner,
                self._services.inventory,
                self._services.certificates,
                self._services.paths.root,
                self,
            )
            self._badges.loaded.connect(self._page.model.set_certificate_hints)
        self._badges.load(full.profiles.rows if full is not None else None)

    @Slot(object)
    def _on_rows_loaded(self, full: FullList) -> None:
        custom = SetupMode.CUSTOM.value
        if self._badges is not None or any(r.mode == custom for r in full.profiles.rows):
            self.reload_hints(full)

    @Slot(object)
    def _on_profiles_changed(self, changes: ProfileChanges) -> None:
        if any(r.mode == SetupMode.CUSTOM.value for r in changes.rows) or (
            self._badges is not None and changes.removed
        ):
            self.reload_hints()

    @Slot(object)
    def _on_details_shown(self, details: ProfileDetails) -> None:
        dialog = self._page.details_dialog
        profile_id = details.profile.id
        hint = self._page.model.badges.hint(profile_id) if profile_id is not None else None
        if dialog is not None and hint is not None:
            text, expired = hint
            short = text.removeprefix("Certificate ")  # the field is named Certificate
            dialog.show_certificate_hint(short, RED.name() if expired else AMBER.name())

    # -- rotate ------------------------------------------------------------------------------

    def _selected_custom(self) -> int | None:
        rows = self._page.selected_rows()
        if len(rows) != 1:
            return None
        row = self._page.model.row_at(rows[0])
        return row.id if row.mode == SetupMode.CUSTOM.value else None

    @Slot()
    def _update_rotate(self) -> None:
        enabled = self._selected_custom() is not None
        if enabled and self.rotate_action.icon().isNull():
            self._give_icons()  # before the list's menu first shows it (icons load lazily)
        self.rotate_action.setEnabled(enabled)
        self.rotate_action.setToolTip(ROTATE_TIP if enabled else ROTATE_DISABLED_TIP)

    @Slot()
    def rotate_selected(self) -> None:
        profile_id = self._selected_custom()
        if profile_id is not None:
            self.rotate(profile_id)

    def rotate(self, profile_id: int) -> CertificateRotationDialog:
        """Open the rotation of *profile_id*'s certificate."""
        if self.rotation_dialog is None:
            from desktop.controllers.certificate_rotation import CertificateRotationController

            from desktop.ui.certificate_rotation_dialog import CertificateRotationDialog

            services = self._services
            controller = CertificateRotationController(
                self._runner,
                services.inventory,
                services.certificates,
                # The check after a rotation must see the new certificate's tokens.
                lambda: services.check_service(fresh_tokens=True).checker,
                self,
            )
            self.rotation_dialog = CertificateRotationDialog(controller, self._window)
            controller.verified.connect(self._on_rotated)
        dialog = self.rotation_dialog
        if not dialog.isVisible() or dialog.rotating_id != profile_id:
            dialog.start(profile_id)
        dialog.show()
        dialog.raise_()
        return dialog

    def _on_rotated(self, outcome: object) -> None:
        result: CheckResult = outcome.result  # type: ignore[attr-defined]
        self._page.model.apply_check(
            result.id, result.status.value, result.reason, result.checked_at.isoformat()
        )
        self.reload_hints()
        expiry = self.expiry.dialog if self.expiry is not None else None
        if expiry is not None and expiry.isVisible():
            expiry.refresh()

    # -- the expiry view ---------------------------------------------------------------------

    @Slot()
    def open_expiry(self) -> None:
        """Profiles > Certificate expiry…: every custom profile's certificate, soonest first."""
        if self.expiry is None:
            from desktop.controllers.certificate_expiry import CertificateExpiryController

            from desktop.ui.certificate_expiry_dialog import CertificateExpiryOpener

            controller = CertificateExpiryController(
                self._runner, self._services.inventory, self._services.certificates, self
            )
            self.expiry = CertificateExpiryOpener(controller, self._window)
            self.expiry.rotate_requested = self.rotate
        self.expiry.open()

    def _give_icons(self) -> None:  # like the menus' other entries: when the menu first opens
        from desktop.ui.action_icons import give_icons

        give_icons({"expiry": [self.expiry_action], "reauthorize": [self.rotate_action]})


def add_certificate_lifecycle(
    window: MainWindow, page: ProfilesPage, runner: TaskRunner, services: CoreServices
) -> CertificateLifecycle:
    """Add the certificate hints, expiry view and rotation to *window*'s profile list."""
    return CertificateLifecycle(window, page, runner, services)
