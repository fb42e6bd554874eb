"""Before Authenticate: can the signed-in account consent for these apps in this tenant?

Shown on the create wizard's Consent step and in the Re-authorize dialog, in the words of
:func:`desktop.core.consent_notice.consent_notice`. It reads the technician's access in the
tenant (off the GUI thread) and says whether their directory roles there may grant admin
consent for each app about to be consented; when they cannot (or the tenant is not
connected, or nobody is signed in) it names the other routes. A tenant that is not connected
can be connected from here (Partner Center).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMetaMethod, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.catalog.model import AppType
from desktop.core.consent_notice import OTHER_ROUTES, REAUTHORIZE_ROUTES, consent_notice
from desktop.core.domain import Tenant
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.identity.gdap import TenantAccess

__all__ = ["OTHER_ROUTES", "REAUTHORIZE_ROUTES", "ConsentAccessNotice"]


class ConsentAccessNotice(QFrame):
    """The notice itself; the owner calls :meth:`show_for` when the tenant or apps change.

    Attributes:
        access: the last access read for the tenant shown (None while reading).
        routes: the other ways to consent, as this screen offers them.

    Signals:
        sign_in_requested(): Sign in was pressed: open the technician's sign-in. The button
            shows only while something is connected to this signal.
    """

    sign_in_requested = Signal()

    def __init__(self, controller: TenantAccessController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsentAccessNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.controller = controller
        self.tenant: Tenant | None = None
        self.apps: tuple[AppType, ...] = ()
        self.access: TenantAccess | None = None
        self.routes = OTHER_ROUTES
        self.text = QLabel(self)
        self.text.setObjectName("ConsentAccessText")
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Whether you can consent here")
        self.connect_button = QPushButton("Connect this tenant (Partner Center)", self)
        self.connect_button.setObjectName("NoticeConnect")
        self.connect_button.setToolTip(
            "Authorize the sign-in app in this tenant through Partner Center (GDAP), so your "
            "partner sign-in works here"
        )
        self.connect_button.clicked.connect(self._connect)
        self.connect_button.hide()
        self.sign_in_button = QPushButton("Sign in…", self)
        self.sign_in_button.setObjectName("NoticeSignIn")
        self.sign_in_button.clicked.connect(self._sign_in)
        self.sign_in_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.sign_in_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        controller.access_ready.connect(self._on_access)
        controller.failed.connect(self._on_failed)
        controller.progressed.connect(self.text.setText)
        controller.busy_changed.connect(lambda busy: self.connect_button.setEnabled(not busy))
        self.hide()

    def show_for(self, tenant: Tenant | None, apps: Sequence[AppType]) -> None:
        """Read the access in *tenant* and say what it means for consenting to *apps*."""
        self.tenant, self.apps, self.access = tenant, tuple(apps), None
        self.connect_button.hide()
        self.sign_in_button.hide()
        if tenant is None or not apps:
            self.hide()
            return
        self.text.setText(f"Checking what your sign-in can do in {tenant.label}…")
        self.show()
        self.controller.read_access(tenant)

    @Slot()
    def refresh(self) -> None:
        self.show_for(self.tenant, self.apps)

    @Slot(object)
    def _on_access(self, access: Any) -> None:
        tenant = self.tenant
        if tenant is None or access.tenant_id.lower() != tenant.tenant_id.lower():
            return
        self.access = access
        self.text.setText(consent_notice(access, self.apps, tenant.label, self.routes))
        self.connect_button.setVisible(access.action == "Connect this tenant")
        self.sign_in_button.setVisible(
            access.action == "Sign in"
            and self.isSignalConnected(QMetaMethod.fromSignal(self.sign_in_requested))
        )

    @Slot(str, object)
    def _on_failed(self, action: str, error: object) -> None:
        if self.tenant is None:
            return
        text = error.one_line() if isinstance(error, UserError) else str(error)
        self.text.setText(f"{action}: {text} {self.routes}")

    @Slot()
    def _connect(self) -> None:
        from desktop.core.identity.gdap import ConnectVia

        if self.tenant is not None:
            self.controller.connect_tenant(self.tenant, ConnectVia.PARTNER_CENTER)

    @Slot()
    def _sign_in(self) -> None:
        self.sign_in_requested.emit()
