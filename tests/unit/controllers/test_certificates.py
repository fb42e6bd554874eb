"""The certificate controller: work off the GUI thread, only the latest answer reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.certificates import (
    CertificateController,
    CreateCertificate,
    create_certificate,
)
from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken
from desktop.core.certificates import CertificateRequest
from desktop.core.certificates.selected import SelectedCertificate
from desktop.core.errors import CancelledError, UserError
from tests.helpers.pfx_corpus import PfxCase


@pytest.fixture
def controller(qtbot: QtBot) -> Iterator[CertificateController]:
    runner = TaskRunner()
    yield CertificateController(runner)
    runner.wait_for_done(10_000)


def test_only_the_latest_request_reports(
    qtbot: QtBot, controller: CertificateController, pfx_corpus: dict[str, PfxCase]
) -> None:
    reports: list[object] = []
    controller.opened.connect(reports.append)
    controller.failed.connect(reports.append)
    case = pfx_corpus["modern_aes"]
    controller.open_file(case.path, "wrong")  # superseded before it answers
    with qtbot.waitSignal(controller.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        controller.open_file(case.path, case.password)
    assert len(reports) == 1
    assert isinstance(reports[0], SelectedCertificate)
    assert reports[0].info.thumbprint_sha1 == case.sha1


def test_failure_is_a_user_error(
    qtbot: QtBot, controller: CertificateController, tmp_path: Path
) -> None:
    with qtbot.waitSignal(controller.failed, timeout=10_000) as signal:
        controller.open_file(tmp_path / "missing.pfx", None)
    assert isinstance(signal.args[0], UserError)
    assert "does not exist" in signal.args[0].message


def test_cancel_before_writing_leaves_no_files(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    order = CreateCertificate(CertificateRequest("Cancelled"), tmp_path, "cancelled", "pw")
    with pytest.raises(CancelledError):
        create_certificate(order, token)
    assert list(tmp_path.iterdir()) == []


class CancelledWhileWriting(CancelToken):
    """Not cancelled at the first look (before writing), cancelled from the second on."""

    def __init__(self) -> None:
        super().__init__()
        self.looks = 0

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        return self.looks > 1

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise CancelledError()


def test_cancel_while_writing_removes_the_new_files(tmp_path: Path) -> None:
    token = CancelledWhileWriting()
    order = CreateCertificate(CertificateRequest("Late"), tmp_path, "late", "pw")
    with pytest.raises(CancelledError):
        create_certificate(order, token)
    assert token.looks >= 2 and list(tmp_path.iterdir()) == []


def test_cancel_after_the_worker_finished_still_leaves_no_files(
    qtbot: QtBot, controller: CertificateController, tmp_path: Path
) -> None:
    """The Cancel click arrives after the files were written, before the GUI heard of them."""
    created: list[object] = []
    failed: list[object] = []
    controller.created.connect(created.append)
    controller.failed.connect(failed.append)
    order = CreateCertificate(CertificateRequest("Raced", key_size=2048), tmp_path, "raced", "pw")
    run = controller.create(order)
    assert controller._runner.wait_for_done(30_000)  # the worker is done; its answer is queued
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raced.cer", "raced.pfx"]
    run.cancel()
    qtbot.waitUntil(lambda: not controller.busy and list(tmp_path.iterdir()) == [], timeout=10_000)
    assert created == [] and failed == []
