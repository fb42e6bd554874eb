"""What every PyInstaller build of ours shares: the version, the Qt filter, Windows version info.

The app's spec (``app.spec``) and the benchmark's minimal-window spec both use :func:`filter_qt`,
so the size comparison between them is fair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "App Profile Manager"
EXE_NAME = "app-profiles"
BUNDLE_ID = "com.appprofilemanager.desktop"
COMPANY = "App Profile Manager"

#: Python modules that must never ship: test and dev tools, other bindings, unused stdlib.
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "mypy",
    "ruff",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "IPython",
    "pydoc",
    "lib2to3",
    "multiprocessing",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
]

#: The Qt libraries the app links (QtNetwork for the single-instance socket, QtSvg for icons).
#: QtDBus stays on Linux because the xcb platform plugin and desktop themes link it.
KEEP_QT_LIBS = {
    "Core",
    "Gui",
    "Widgets",
    "Network",
    "Svg",
    "DBus",
    "OpenGL",  # linked by QtGui's platform plugins
    "XcbQpa",
    "WaylandClient",
    "WlShellIntegration",
}
#: Plugin folders and the plugins in them that we keep; every other plugin is dropped.
KEEP_PLUGINS = {
    "platforms": {"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa", "qminimal"},
    # qgtk3 is left out: it drags in GTK, cairo and pango (~20 MB); the portal theme still
    # reports the desktop's dark mode.
    "platformthemes": {"qxdgdesktopportal"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "xcbglintegrations": {"qxcb-glx-integration", "qxcb-egl-integration"},
    "imageformats": {"qsvg", "qico"},
    "iconengines": {"qsvgicon"},
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"},
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": {"bradient"},
    "wayland-graphics-integration-client": {"qt-plugin-wayland-egl"},
}


def app_version() -> str:
    """``desktop.__version__``, the single source of the version (read, not imported)."""
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("desktop/__init__.py does not set __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3rc1"`` → ``(1, 2, 3, 0)``: Windows wants four numbers."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def _plugin_of(dest: str) -> tuple[str, str] | None:
    """``PySide6/Qt/plugins/imageformats/libqjpeg.so`` → ``("imageformats", "qjpeg")``."""
    parts = Path(dest).parts
    if "plugins" not in parts:
        return None
    index = parts.index("plugins")
    if len(parts) < index + 3:
        return None
    stem = parts[index + 2].split(".")[0]
    stem = stem[3:] if stem.startswith("lib") else stem
    return parts[index + 1], stem


def qt_library_module(dest: str) -> str | None:
    """The Qt module a collected library belongs to, or None when it is not a Qt library.

    ``PySide6/Qt/lib/libQt6Pdf.so.6`` (Linux), ``PySide6/Qt6Pdf.dll`` (Windows) and
    ``PySide6/Qt/lib/QtPdf.framework/...`` (macOS) all give ``"Pdf"``.
    """
    parts = Path(dest.replace("\\", "/")).parts
    for part in parts:
        if part.startswith("Qt") and part.endswith(".framework"):
            return part[2 : -len(".framework")]
    name = parts[-1] if parts else ""
    match = re.match(r"^(?:lib)?Qt6([A-Za-z]+)(?:\.so|\.dll|\.dylib)", name)
    return match.group(1) if match else None


def keep_entry(dest: str) -> bool:
    """Whether a collected binary or data file belongs in the bundle."""
    normalized = dest.replace("\\", "/")
    if "/__pycache__/" in f"/{normalized}":
        return False  # byte code a source tree left next to the resources
    if "/translations/" in f"/{normalized}" or normalized.endswith(".qm"):
        return False  # the app is English only; Qt's own strings are English too
    plugin = _plugin_of(normalized)
    if plugin is not None:
        folder, name = plugin
        return name in KEEP_PLUGINS.get(folder, set())
    module = qt_library_module(normalized)
    return module is None or module in KEEP_QT_LIBS


def filter_qt(toc: Iterable[Any]) -> list[Any]:
    """Drop the Qt plugins, libraries and translations we do not use from a TOC list."""
    return [entry for entry in toc if keep_entry(entry[0])]


def filter_binaries(binaries: list[Any]) -> list[Any]:
    """:func:`filter_qt`, then drop the libraries only the dropped entries needed.

    PyInstaller resolved every plugin's dependencies before the spec can filter, so dropping a
    plugin (e.g. the GTK theme) leaves GTK, cairo and pango behind unless they are pruned here.
    """
    from PyInstaller.depend.bindepend import get_imports

    kept = filter_qt(binaries)
    dropped = [entry for entry in binaries if entry not in kept]
    by_name = {Path(entry[0]).name: entry for entry in kept}

    def closure(starts: Iterable[Any]) -> set[str]:
        seen: set[str] = set()
        stack = [entry[1] for entry in starts]
        while stack:
            try:
                imports = get_imports(stack.pop())
            except Exception:  # unreadable binary: keep what it may need
                continue
            for name, _path in imports:
                base = Path(name).name
                if base in by_name and base not in seen:
                    seen.add(base)
                    stack.append(by_name[base][1])
        return seen

    orphans = closure(dropped)
    needed = closure(e for e in kept if Path(e[0]).name not in orphans)
    return [e for e in kept if Path(e[0]).name not in orphans or Path(e[0]).name in needed]


def windows_version_info(version: str) -> Any:
    """The Windows version resource (file properties → Details)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = [
        vi.StringStruct("CompanyName", COMPANY),
        vi.StringStruct("FileDescription", APP_NAME),
        vi.StringStruct("FileVersion", version),
        vi.StringStruct("InternalName", EXE_NAME),
        vi.StringStruct("LegalCopyright", f"© {COMPANY}"),
        vi.StringStruct("OriginalFilename", f"{EXE_NAME}.exe"),
        vi.StringStruct("ProductName", APP_NAME),
        vi.StringStruct("ProductVersion", version),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo([vi.StringTable("040904B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
