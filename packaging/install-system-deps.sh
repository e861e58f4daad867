#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Sekisho needs, when they are missing and we are root.
# Not root: prints the apt-get command to run instead and carries on (the venv step will say
# what is missing if a build needs it).
set -euo pipefail

PACKAGES=(
  python3-venv python3-dev gcc make           # venv, and building pyscard
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools  # PC/SC stack and the virtual reader for tests
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libfontconfig1 libdbus-1-3
  fonts-noto-cjk                              # Japanese text in the UI
  xvfb xdotool                                # screenshots of real windows
  postgresql                                  # the hub's store, started by its tests
  tesseract-ocr fonts-ocr-b                   # MRZ OCR (the font draws the test pages)
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian/Ubuntu system; install the equivalents of: ${PACKAGES[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "  run: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
