#!/usr/bin/env bash
# Make a compressed .dmg from the built .app (macOS only; run after packaging/build.py).
#   packaging/make_dmg.sh [VERSION]
# The image holds the app and a link to /Applications, so users drag it across.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_NAME="App Profile Manager"
VERSION="${1:-$(cd packaging && python3 -c 'import spec_common; print(spec_common.app_version())')}"
APP="dist/${APP_NAME}.app"
DMG="dist/AppProfileManager-${VERSION}.dmg"

[ -d "$APP" ] || { echo "No $APP: run python3 packaging/build.py first." >&2; exit 2; }

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# ditto keeps symlinks, extended attributes and the code signature intact (cp -R may not).
ditto "$APP" "$staging/${APP_NAME}.app"
ln -s /Applications "$staging/Applications"

rm -f "$DMG"
hdiutil create -volname "${APP_NAME}" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$DMG"
echo "Made $DMG ($(du -h "$DMG" | cut -f1))"
