#!/usr/bin/env bash
# Runs the headless-Chromium suite (test/browser): the service map rendered in a real browser.
# Installs Debian's chromium first when /usr/bin/chromium is missing (needs root or sudo and apt).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "ci-browser: $CHROMIUM not found, installing chromium with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
"$CHROMIUM" --version

mkdir -p test-artifacts
npm run --silent test:browser
echo "ci-browser: screenshot in test-artifacts/service-map.png, page in test-artifacts/service-map.html"
