#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through its ChromeDriver. Installs both when absent
# (as root, from Debian's packages); otherwise says what to install. Run by mvn verify.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[waterspout] Installing chromium and chromium-driver from Debian's packages for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  exit 0
fi
echo "[waterspout] The browser tests need Chromium and its ChromeDriver:" >&2
echo "[waterspout]   sudo apt-get install chromium chromium-driver" >&2
exit 1
