"""The build's shared parts: what the Qt filter keeps, version numbers, the icon containers."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.fixtures import REPO_ROOT


def _load(name: str) -> ModuleType:
    path = REPO_ROOT / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


common = _load("spec_common")
make_icons = _load("make_icons")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6\\Qt6Qml.dll", False),
        ("PySide6\\Qt6Network.dll", True),
        ("PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/styles/libqmacstyle.dylib", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("desktop/resources/icons/app.svg", True),
        ("desktop/resources/catalog/catalog.json", True),
        ("desktop/resources/__pycache__/__init__.cpython-311.pyc", False),
        ("libpython3.11.so.1.0", True),
    ],
)
def test_qt_filter(dest: str, kept: bool) -> None:
    assert common.keep_entry(dest) is kept


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("2", (2, 0, 0, 0))],
)
def test_windows_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert common.version_tuple(version) == numbers


def test_app_version_is_the_package_version() -> None:
    import desktop

    assert common.app_version() == desktop.__version__


@pytest.mark.usefixtures("qapp")
def test_icons_are_rendered_into_ico_and_icns(tmp_path: Path) -> None:
    paths = make_icons.make_icons(tmp_path)
    ico = paths["ico"].read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    first_size, first_offset = struct.unpack("<II", ico[6 + 8 : 6 + 16])
    assert ico[first_offset : first_offset + 8] == b"\x89PNG\r\n\x1a\n"
    assert first_offset + first_size <= len(ico)
    icns = paths["icns"].read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert icns[8:12] == b"icp4"
    assert (tmp_path / "app-1024.png").read_bytes()[:4] == b"\x89PNG"
