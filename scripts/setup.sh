#!/usr/bin/env bash
# Set up a machine for yacang: system packages (CJK fonts, PDF tools, Chromium, PostgreSQL, Java for
# the PySpark backend, LibreOffice for DOCX conversion checks), the Python package with its extras,
# and the front-end assets from npm (ECharts; served locally, never from a CDN).
# Idempotent: what is already installed is left alone. Usage: bash scripts/setup.sh [--no-system]
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

DEB_PACKAGES=(fonts-noto-cjk poppler-utils chromium postgresql default-jre-headless libreoffice-writer-nogui nodejs npm)

if [ "${1:-}" != "--no-system" ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # node/npm may come from elsewhere (e.g. a preinstalled Node): do not fight it
  if command -v node >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
  fi
  # a preinstalled Java satisfies PySpark
  if command -v java >/dev/null 2>&1; then missing=("${missing[@]/default-jre-headless}"); fi
  missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

echo "setup: installing the yacang Python package"
python -m pip install -q --disable-pip-version-check -e ".[dev,spark,web]"

if [ -f package.json ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
    echo "setup: installing front-end assets from npm"
    npm install --no-audit --no-fund --silent
    touch node_modules
  fi
fi
echo "setup: done"
