#!/usr/bin/env bash
# Smoke test of a frozen Sekisho bundle:  packaging/smoke.sh DIST_DIR
#
# DIST_DIR is the PyInstaller dist folder (holding sekisho/) or the application folder itself
# (dist/sekisho). Runs the frozen program with a throw-away data folder, headless, away from the
# source checkout, and exits non-zero if any step fails:
#   1. sekisho --version
#   2. sekisho selftest --simulate-devices --demo     (database, audit, translations, models, devices)
#   3. sekisho run --simulate-devices --demo --startup-probe   (the GUI reaches the login screen)
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIST_DIR" >&2
    exit 2
fi

dist=$(cd "$1" && pwd)
exe=""
for candidate in "$dist/sekisho/sekisho" "$dist/sekisho/sekisho.exe" "$dist/sekisho" "$dist/sekisho.exe"; do
    if [[ -f $candidate && -x $candidate ]]; then
        exe=$candidate
        break
    fi
done
if [[ -z $exe ]]; then
    echo "smoke: no sekisho executable in $dist" >&2
    exit 2
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/sekisho-smoke.XXXXXX")
trap 'rm -rf "$home"' EXIT
export SEKISHO_HOME=$home
export QT_QPA_PLATFORM=offscreen
# Nothing from a development environment may leak into the frozen program.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV QT_PLUGIN_PATH QT_QPA_PLATFORM_PLUGIN_PATH
cd "$home"

status=0
step() {
    local name=$1
    shift
    echo "== smoke: $name"
    local start=$SECONDS
    if "$@"; then
        echo "== smoke: $name passed ($((SECONDS - start)) s)"
    else
        echo "== smoke: $name FAILED (exit $?)" >&2
        status=1
    fi
}

check_version() {
    local out
    out=$("$exe" --version)
    echo "$out"
    [[ $out == "sekisho "* ]]
}

check_gui() {
    local out
    out=$(timeout 120 "$exe" run --simulate-devices --demo --startup-probe 2>&1)
    echo "$out"
    grep -q "login-ready" <<<"$out"
}

echo "smoke: $exe"
step "version" check_version
step "selftest" "$exe" selftest --simulate-devices --demo
step "gui start" check_gui
exit $status
