"""One running app per user and data folder; a second launch brings the first window forward.

The first instance listens on a ``QLocalServer`` (a Unix socket in the temp folder, a named pipe
on Windows) whose name is derived from the user and the data folder, so two users, or one user
with two data folders (``APP_PROFILES_HOME``), never meet. A later launch connects, says
``activate``, waits for the answer and exits 0. A socket left behind by a crashed instance is
found to be dead (nothing answers) and removed.
"""

from __future__ import annotations

import logging
import os
import zlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
ACK = b"ok\n"
TIMEOUT_MS = 1500


def server_name(data_root: Path, user: str | None = None) -> str:
    """The server name for *user* (default: the current one) and *data_root*."""
    if user is None:
        user = _current_user()
    try:
        root = str(data_root.expanduser().resolve())
    except OSError:
        root = str(data_root)
    # Two CRC-32s give 64 bits: plenty to keep one user's few data folders apart, and zlib
    # loads in a fraction of the time hashlib (OpenSSL) takes on every start.
    key = f"{user}\0{root}".encode()
    digest = f"{zlib.crc32(key):08x}{zlib.crc32(key[::-1]):08x}"
    return f"app-profile-manager-{digest}"


def _current_user() -> str:
    # getpass.getuser's own order, and then its own fallback (the password database) without
    # importing getpass, which loads termios for its password prompt.
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # Windows without USERNAME; no entry
        return "unknown-user"


class SingleInstance(QObject):
    """Claims the per-user, per-data-folder instance slot.

    Signals:
        activation_requested(): another launch asked this instance to come forward.
    """

    activation_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None

    @property
    def is_primary(self) -> bool:
        return self._server is not None and self._server.isListening()

    def claim(self) -> bool:
        """True when this is the first instance (and now listens); False when another runs.

        When another instance runs it has been told to bring its window forward.
        """
        if notify_running(self.name):
            return False
        # Nothing answered, so a socket file that may be left is stale.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Another launch won a race between our check and listen: defer to it.
            if notify_running(self.name):
                server.deleteLater()
                return False
            log.warning("Single-instance server %s failed: %s", self.name, server.errorString())
            server.deleteLater()
            return True  # run anyway: a second window beats no window
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (the socket file is removed)."""
        if self._server is not None:
            self._server.close()
            self._server = None

    @Slot()
    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.readyRead.connect(self._on_ready_read)
            conn.disconnected.connect(conn.deleteLater)

    @Slot()
    def _on_ready_read(self) -> None:
        conn = self.sender()
        if not isinstance(conn, QLocalSocket) or not conn.canReadLine():
            return
        line = bytes(conn.readLine().data())
        if line == ACTIVATE:
            conn.write(ACK)
            conn.flush()
            log.info("Another launch asked this instance to come forward")
            self.activation_requested.emit()
        conn.disconnectFromServer()


def notify_running(name: str, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Ask a running instance to come forward; True when one is listening.

    A live instance that is still starting may answer late, but the request waits in its
    socket buffer; only a refused connection means that nobody (or a stale socket) is there.
    """
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(ACTIVATE)
    sock.waitForBytesWritten(timeout_ms)
    while sock.waitForReadyRead(timeout_ms):
        if sock.canReadLine():
            if bytes(sock.readLine().data()) != ACK:
                log.warning("Unexpected answer from the running instance on %s", name)
            break
    sock.disconnectFromServer()
    return True
