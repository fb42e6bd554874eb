"""The certificate panel driven like a technician would, with openssl-made files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop.controllers.certificates import CertificateController
from desktop.controllers.tasks import TaskRunner
from desktop.core.certificates import read_pfx
from desktop.core.certificates.selected import SelectedCertificate
from tests.helpers.pfx_corpus import PfxCase
from tests.helpers.stubs import FakeFilePicker

from desktop.ui.certificate_panel import CertificatePanel


@pytest.fixture
def picker() -> FakeFilePicker:
    return FakeFilePicker()


@pytest.fixture
def panel(qtbot: QtBot, runner: TaskRunner, picker: FakeFilePicker) -> CertificatePanel:
    panel = CertificatePanel(CertificateController(runner), picker)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.resize(640, 460)
    panel.show()
    return panel


def choose(qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, case: PfxCase) -> object:
    """Type the password, click Browse…, pick the file; wait for the panel's answer."""
    panel.password.setText(case.password or "")
    picker.pfx = str(case.path)
    with qtbot.waitSignal(panel._controller.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: busy is False):  # fmt: skip
        qtbot.mouseClick(panel.browse, Qt.MouseButton.LeftButton)
    return panel.selected


def test_empty_state(panel: CertificatePanel) -> None:
    assert panel.empty.isVisible() and not panel.card.isVisible()
    assert panel.selected is None and not panel.usable


def test_good_certificate_shows_a_card_and_hands_over_bytes(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, pfx_corpus: dict[str, PfxCase]
) -> None:
    case = pfx_corpus["chain"]
    seen: list[object] = []
    panel.certificate_changed.connect(seen.append)
    selected = choose(qtbot, panel, picker, case)
    assert isinstance(selected, SelectedCertificate)
    assert seen == [selected] and panel.usable
    assert panel.card.isVisible() and not panel.error.isVisible()
    assert panel.card.subject.text() == "Chained App"
    assert panel.card.thumbprint.text() == case.sha1
    assert panel.card.issuer.text() == "Contoso Issuing CA"
    assert "3 certificates" in panel.card.key.text()
    assert not panel.card.warning.isVisible()
    # The owner gets the file's bytes and password, enough to store it later.
    assert selected.pfx_bytes == case.path.read_bytes() and selected.password == case.password
    assert read_pfx(selected.pfx_bytes, selected.password).certificate == (
        selected.contents.certificate
    )
    assert picker.asked and picker.asked[0][0] == "open_pfx"


def test_copy_puts_the_thumbprint_on_the_clipboard(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, pfx_corpus: dict[str, PfxCase]
) -> None:
    choose(qtbot, panel, picker, pfx_corpus["modern_aes"])
    qtbot.mouseClick(panel.card.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == pfx_corpus["modern_aes"].sha1
    assert panel.card.copy.text() == "Copied"
    qtbot.waitUntil(lambda: panel.card.copy.text() == "&Copy", timeout=5_000)


def test_near_expiry_is_selected_with_a_visible_warning(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, pfx_corpus: dict[str, PfxCase]
) -> None:
    assert choose(qtbot, panel, picker, pfx_corpus["near_expiry"]) is not None
    assert panel.card.warning.isVisible()
    assert "expires in" in panel.card.warning.text()
    assert "days left" in panel.card.validity.text()


@pytest.mark.parametrize(
    ("name", "keeps_card"),
    [
        ("wrong_password", False),
        ("missing_password", False),
        ("pem_renamed", False),
        ("random_bytes", False),
        ("ec_key", True),
        ("rsa_1024", True),
        ("cert_only", True),
        ("expired", True),
        ("not_yet_valid", True),
    ],
)
def test_problems_are_shown_in_words_and_nothing_is_selected(
    qtbot: QtBot,
    panel: CertificatePanel,
    picker: FakeFilePicker,
    pfx_corpus: dict[str, PfxCase],
    name: str,
    keeps_card: bool,
) -> None:
    case = pfx_corpus[name]
    assert choose(qtbot, panel, picker, case) is None
    assert not panel.usable
    assert panel.error.isVisible()
    expected = case.error or case.problem or case.warning
    assert expected and expected.lower() in panel.error.text().lower()
    assert "Traceback" not in panel.error.text()
    assert panel.card.isVisible() is keeps_card
    assert (panel.inspected is not None) is keeps_card


def test_fixing_the_password_recovers(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, pfx_corpus: dict[str, PfxCase]
) -> None:
    choose(qtbot, panel, picker, pfx_corpus["wrong_password"])
    assert panel.password.hasFocus() or not panel.isActiveWindow()
    panel.password.setText(pfx_corpus["modern_aes"].password or "")
    with qtbot.waitSignal(panel.certificate_changed, timeout=10_000) as signal:
        qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert isinstance(signal.args[0], SelectedCertificate)
    assert not panel.error.isVisible() and panel.card.isVisible()


def test_cancelled_browse_changes_nothing(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker
) -> None:
    picker.pfx = None
    qtbot.mouseClick(panel.browse, Qt.MouseButton.LeftButton)
    assert panel.path.text() == "" and panel.empty.isVisible()


def test_check_without_a_file_says_what_to_do(qtbot: QtBot, panel: CertificatePanel) -> None:
    qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert "Choose the certificate file" in panel.error.text()


def test_create_dialog_writes_files_and_selects_the_new_certificate(
    qtbot: QtBot, panel: CertificatePanel, picker: FakeFilePicker, tmp_path: Path
) -> None:
    panel.set_default_subject("Contoso", "Backup app")
    picker.folder = str(tmp_path)
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    dialog = panel.create_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.subject.text() == "Contoso - Backup app"
    assert dialog.stem.text() == "Contoso-Backup-app"
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    assert dialog.folder.text() == str(tmp_path)
    dialog.key_size.setCurrentIndex(dialog.key_size.findData(3072))
    dialog.password.setText("new-pfx-pw")
    dialog.confirm.setText("wrong")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "passwords differ" in dialog.error.text() and list(tmp_path.iterdir()) == []
    dialog.confirm.setText("new-pfx-pw")
    with qtbot.waitSignal(panel.certificate_changed, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    selected = signal.args[0]
    assert isinstance(selected, SelectedCertificate)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Contoso-Backup-app.cer",
        "Contoso-Backup-app.pfx",
    ]
    assert selected.info.key_size == 3072 and selected.password == "new-pfx-pw"
    assert selected.pfx_bytes == (tmp_path / "Contoso-Backup-app.pfx").read_bytes()
    assert panel.card.subject.text() == "Contoso - Backup app"
    assert panel.path.text() == str(tmp_path / "Contoso-Backup-app.pfx")
    qtbot.waitUntil(lambda: panel.create_dialog is None)


def test_create_failure_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, panel: CertificatePanel, tmp_path: Path
) -> None:
    (tmp_path / "Taken.cer").write_bytes(b"existing")
    panel.set_default_folder(str(tmp_path))
    dialog = panel.open_create_dialog()
    dialog.subject.setText("Taken")
    dialog.password.setText("pw")
    dialog.confirm.setText("pw")
    with qtbot.waitSignal(panel._controller.failed, timeout=30_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "already exists" in dialog.error.text()
    assert dialog.create_button.isEnabled()
    assert (tmp_path / "Taken.cer").read_bytes() == b"existing"
    assert panel.selected is None


def test_tab_order_and_accessible_names(panel: CertificatePanel) -> None:
    assert panel.path.accessibleName() and panel.password.accessibleName()
    assert panel.card.copy.accessibleName() == "Copy thumbprint"
    order = [panel.path]
    widget = panel.path
    for _ in range(4):
        widget = widget.nextInFocusChain()
        order.append(widget)
    assert order.index(panel.password) > order.index(panel.browse) > 0


def test_cancel_while_creating_a_4096_bit_key(
    qtbot: QtBot, panel: CertificatePanel, tmp_path: Path
) -> None:
    """Cancel closes the dialog at once; when the key is done nothing is written or chosen."""
    panel.set_default_folder(str(tmp_path))
    dialog = panel.open_create_dialog()
    dialog.subject.setText("Big key")
    dialog.key_size.setCurrentIndex(dialog.key_size.findData(4096))
    dialog.password.setText("pw")
    dialog.confirm.setText("pw")
    changes: list[object] = []
    panel.certificate_changed.connect(changes.append)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible() and "4096" in dialog.status.text()
    assert not dialog.subject.isEnabled() and panel._controller.busy
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not panel._controller.busy, timeout=60_000)
    assert list(tmp_path.iterdir()) == []
    assert changes == [] and panel.selected is None
    assert not panel.error.isVisible() and not panel.busy.isVisible()
    assert panel.empty.isVisible()
    qtbot.waitUntil(lambda: panel.create_dialog is None)
