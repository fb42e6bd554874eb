"""What can I do in this tenant? A panel for the tenant chosen in Customers and tenants.

It says whether the tenant is connected (the sign-in app authorized there, so a token comes
silently from the technician's partner sign-in), the technician's directory roles there, and
for each app type whether those roles may grant its admin consent, and why not. Its buttons
connect the tenant (Partner Center, the customer's admin in the browser, or a consent link),
find the consents already given, and read the access again; a running action shows its
progress with Cancel, and its outcome in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.catalog.model import Catalog
from desktop.core.domain import Tenant
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.identity.gdap import ConnectResult, TenantAccess
    from desktop.core.partner_access import Discovery

TITLE = "What can I do in this tenant?"
PARTNER_CENTER = "partner-center"
ADMIN_CONSENT = "admin-consent"


class TenantAccessPanel(QGroupBox):
    """The access of the signed-in technician in one tenant, and the actions that change it.

    Signals:
        consent_link_copied(str): a consent link for the customer's admin was copied.
        sign_in_requested(): Sign in was pressed: open the technician's sign-in (the Account
            menu's).
    """

    consent_link_copied = Signal(str)
    sign_in_requested = Signal()

    def __init__(
        self, controller: TenantAccessController, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("TenantAccessPanel")
        self.controller = controller
        self.catalog = catalog
        self.tenant: Tenant | None = None
        self.access: TenantAccess | None = None

        self.headline = QLabel(self)
        self.headline.setObjectName("AccessHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.apps = QTableWidget(0, 2, self)
        self.apps.setObjectName("AccessApps")
        self.apps.setAccessibleName("Admin consent you can grant, by app type")
        self.apps.setHorizontalHeaderLabels(["App type", "You can consent"])
        self.apps.verticalHeader().hide()
        self.apps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.apps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.apps.setWordWrap(False)
        self.apps.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.apps.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # A few app types show at once; at small sizes the dialog's details scroll instead.
        self.apps.setMinimumHeight(self.apps.verticalHeader().defaultSectionSize() * 5)
        self.show_apps = QToolButton(self)
        self.show_apps.setObjectName("AccessShowApps")
        self.show_apps.setText("Each app type")
        self.show_apps.setToolTip("Show or hide whether you can consent, app type by app type")
        self.show_apps.setCheckable(True)
        self.show_apps.setArrowType(Qt.ArrowType.RightArrow)
        self.show_apps.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.show_apps.setAutoRaise(True)
        self.show_apps.toggled.connect(self._toggle_apps)
        #: Why not, for the app types the roles cannot consent for (one line per reason).
        self.why_not = QLabel(self)
        self.why_not.setObjectName("AccessWhyNot")
        self.why_not.setWordWrap(True)
        self.why_not.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.connect_button = QToolButton(self)
        self.connect_button.setObjectName("ConnectTenantButton")
        self.connect_button.setText("Conn&ect this tenant")
        self.connect_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.connect_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.connect_button.setToolTip(
            "Authorize the sign-in app in this tenant, so your partner sign-in works here"
        )
        menu = QMenu(self.connect_button)
        self.via_partner_center = QAction("Via &Partner Center (GDAP)", menu)
        self.via_partner_center.setStatusTip(
            "Partner Center's consent API, with your partner sign-in and GDAP roles"
        )
        self.via_admin_consent = QAction("Customer's &admin consents in the browser…", menu)
        self.via_admin_consent.setStatusTip(
            "Opens the admin-consent page; the customer's administrator signs in and accepts"
        )
        self.copy_link = QAction("&Copy a consent link for the customer's admin", menu)
        for action in (self.via_partner_center, self.via_admin_consent, self.copy_link):
            menu.addAction(action)
        self.connect_button.setMenu(menu)
        self.connect_button.clicked.connect(lambda: self.connect_tenant(PARTNER_CENTER))
        self.via_partner_center.triggered.connect(lambda: self.connect_tenant(PARTNER_CENTER))
        self.via_admin_consent.triggered.connect(lambda: self.connect_tenant(ADMIN_CONSENT))
        self.copy_link.triggered.connect(self.request_link)

        self.sign_in_button = QPushButton("Si&gn in…", self)
        self.sign_in_button.setObjectName("AccessSignIn")
        self.sign_in_button.clicked.connect(self._sign_in)
        self.sign_in_button.hide()
        self.discover_button = QPushButton("&Find existing consents", self)
        self.discover_button.setObjectName("DiscoverButton")
        self.discover_button.setToolTip(
            "Find the publisher apps already consented in this tenant and add their profiles"
        )
        self.discover_button.clicked.connect(self.discover)
        self.refresh_button = QPushButton("Chec&k access", self)
        self.refresh_button.setToolTip("Read your access in this tenant again")
        self.refresh_button.clicked.connect(self.refresh)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("AccessProgress")
        self.progress.setAccessibleName("Working in the tenant")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(70)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("AccessCancel")
        self.cancel_button.clicked.connect(controller.cancel)
        self.cancel_button.hide()
        self.outcome = QLabel(self)
        self.outcome.setObjectName("AccessOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for widget in (self.connect_button, self.sign_in_button, self.discover_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        # Progress and Cancel share the outcome's line: a running action never widens the row.
        outcome = QHBoxLayout()
        outcome.addWidget(self.progress)
        outcome.addWidget(self.outcome, 1)
        outcome.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.why_not)
        layout.addWidget(self.show_apps, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.apps, 1)
        layout.addLayout(buttons)
        layout.addLayout(outcome)

        controller.access_ready.connect(self._on_access)
        controller.connected.connect(self._on_connected)
        controller.link_ready.connect(self._on_link)
        controller.discovered.connect(self._on_discovered)
        controller.progressed.connect(self._on_progress)
        controller.failed.connect(self._on_failed)
        controller.cancelled.connect(self._on_cancelled)
        controller.busy_changed.connect(self._set_busy)
        self.show_tenant(None)

    # -- what is shown -----------------------------------------------------------------------

    def show_tenant(self, tenant: Tenant | None) -> None:
        """Show *tenant*'s access (read now, off the GUI thread); None: no tenant chosen."""
        self.tenant = tenant
        self.access = None
        self.outcome.clear()
        self.apps.setRowCount(0)
        self.apps.hide()
        self.show_apps.hide()
        self.why_not.clear()
        self.why_not.hide()
        self.sign_in_button.hide()
        if tenant is None:
            self.headline.setText("Choose a tenant to see what you can do in it.")
        else:
            self.headline.setText(f"Reading your access in {tenant.label}…")
            self.controller.read_access(tenant)
        self._enable()

    @Slot()
    def refresh(self) -> None:
        if self.tenant is not None:
            self.show_tenant(self.tenant)

    @Slot(object)
    def _on_access(self, access: TenantAccess) -> None:
        if self.tenant is None or access.tenant_id.lower() != self.tenant.tenant_id.lower():
            return
        self.access = access
        self.headline.setText(headline(access, self.tenant.label))
        self.sign_in_button.setVisible(access.action == "Sign in")
        self._fill_apps(access)
        self._enable()

    def _fill_apps(self, access: TenantAccess) -> None:
        """One row per app type (Yes / No), and under them why not, grouped by reason."""
        from desktop.core.identity.gdap import consent_roles_needed, needs_graph_app_roles

        self.show_apps.setVisible(access.connected)
        self.apps.setVisible(access.connected and self.show_apps.isChecked())
        self.why_not.setVisible(True)
        if not access.connected:
            self.apps.setRowCount(0)
            self.why_not.setText(
                "Once the tenant is connected, this shows your directory roles here and the "
                "app types they let you grant admin consent for."
            )
            return
        apps = sorted(self.catalog.app_types, key=lambda a: a.name.lower())
        self.apps.setRowCount(len(apps))
        refused: dict[str, list[str]] = {}
        for row, app in enumerate(apps):
            can = bool(access.can_consent.get(app.id))
            name = QTableWidgetItem(app.name)
            name.setToolTip(app.name)
            verdict = QTableWidgetItem("Yes" if can else "No")
            if not can:
                why = f"needs {consent_roles_needed(app)}"
                if needs_graph_app_roles(app):
                    why += " (it has Microsoft Graph application permissions)"
                verdict.setToolTip(f"No: {why}.")
                refused.setdefault(why, []).append(app.name)
            self.apps.setItem(row, 0, name)
            self.apps.setItem(row, 1, verdict)
        self.why_not.setText(why_not(refused, len(apps)))

    @Slot(bool)
    def _toggle_apps(self, shown: bool) -> None:
        self.show_apps.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.apps.setVisible(shown and self.access is not None and self.access.connected)

    def _enable(self) -> None:
        busy = self.controller.busy
        have = self.tenant is not None and not busy
        connected = self.access is not None and self.access.connected
        self.connect_button.setEnabled(have)
        self.discover_button.setEnabled(have and connected)
        self.discover_button.setToolTip(
            "Find the publisher apps already consented in this tenant and add their profiles"
            if connected
            else "Connect this tenant first: Find existing consents reads it with your sign-in"
        )
        self.refresh_button.setEnabled(have)

    # -- actions -----------------------------------------------------------------------------

    def connect_tenant(self, via: str) -> None:
        from desktop.core.identity.gdap import ConnectVia

        if self.tenant is None:
            return
        how = "Partner Center" if via == PARTNER_CENTER else "the customer's admin consent"
        self.outcome.setText(f"Connecting {self.tenant.label} through {how}…")
        self.controller.connect_tenant(self.tenant, ConnectVia(via))

    @Slot()
    def request_link(self) -> None:
        if self.tenant is not None:
            self.controller.consent_link(self.tenant)

    @Slot()
    def discover(self) -> None:
        if self.tenant is not None:
            self.outcome.setText(f"Finding existing consents in {self.tenant.label}…")
            self.controller.discover(self.tenant)

    @Slot()
    def _sign_in(self) -> None:
        self.sign_in_requested.emit()

    # -- outcomes ----------------------------------------------------------------------------

    @Slot(object)
    def _on_connected(self, result: ConnectResult) -> None:
        label = self.tenant.label if self.tenant is not None else result.access.tenant_id
        how = "Partner Center" if result.via.value == PARTNER_CENTER else "admin consent"
        if result.consented:
            text = f"Connected {label} through {how}, and proved it with a token there."
        else:
            text = f"{label} was already connected; a token there proves it."
        self.outcome.setText(text)

    def _on_link(self, tenant_id: str, link: str) -> None:
        QGuiApplication.clipboard().setText(link)
        self.outcome.setText(
            "Copied a consent link. Send it to the customer's administrator; once they have "
            "accepted, press Check access."
        )
        self.outcome.setToolTip(link)
        self.consent_link_copied.emit(link)

    @Slot(object)
    def _on_discovered(self, found: Discovery) -> None:
        self.outcome.setText(discovery_words(found, self.catalog))

    @Slot(str)
    def _on_progress(self, text: str) -> None:
        self.outcome.setText(text)

    @Slot(str, object)
    def _on_failed(self, action: str, error: Any) -> None:
        text = error.one_line() if isinstance(error, UserError) else str(error)
        self.outcome.setText(f"{action}: {text}")
        if getattr(error, "action", "") == "Sign in":
            self.sign_in_button.show()

    @Slot(str)
    def _on_cancelled(self, action: str) -> None:
        self.outcome.setText(f"{action} was cancelled; nothing changed in the tenant.")

    @Slot(bool)
    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self._enable()


def discovery_words(found: Discovery, catalog: Catalog) -> str:
    """What Find existing consents found and added, with each new profile's checked status."""
    where = found.tenant.label
    if not found.found:
        return (
            f"No consents of the configured publisher apps were found in {where}; nothing "
            "was added."
        )
    count = len(found.found)
    text = f"Found {count} consented app{'s' if count != 1 else ''} in {where}"
    if not found.added:
        return f"{text}; each already has a profile, so nothing was added."
    names = {a.id: a.name for a in catalog.app_types}
    parts = []
    for profile in found.added:
        result = found.checks.get(profile.id) if profile.id is not None else None
        status = (result.status if result is not None else profile.status).value
        parts.append(f"{names.get(profile.app_type_id, profile.app_type_id)} ({status})")
    added = len(found.added)
    return f"{text}; added {added} profile{'s' if added != 1 else ''}: {', '.join(parts)}."


def why_not(refused: dict[str, list[str]], total: int) -> str:
    """The app types the roles cannot consent for, grouped by what they need."""
    if not refused:
        return "Your roles here can grant admin consent for every app type."
    lines = []
    for why, names in refused.items():
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        lines.append(f"Not for {shown}: {why}.")
    if sum(len(n) for n in refused.values()) == total:
        lines.insert(0, "Your roles here cannot grant admin consent for any app type.")
    lines.append("The customer's administrator can consent instead (in the browser or by link).")
    return "\n".join(lines)


def headline(access: TenantAccess, label: str) -> str:
    """The panel's first line: connected as whom with which roles, or why not and what to do."""
    if not access.connected:
        return f"Not connected: {access.reason}"
    who = f" as {access.username}" if access.username else ""
    roles = ", ".join(access.roles) if access.roles else "none"
    return f"Connected{who}. Your directory roles in {label}: {roles}."
