/* Reference layers of the offline map (our own): city labels and first-level region borders.
 *
 * incidentReference(map, options) draws, under the incidents:
 * - city labels from the app's gazetteer (options.cities, options.towns: [name, lat, lon, minZoom] and
 *   a fifth 1 for a district of a larger city, set lighter; the most populous first): at each zoom the cities labelled from that zoom on, in view, the larger
 *   first, none on top of another; the towns' file is fetched once the map zooms in to them;
 * - region borders (options.admin1: a folder with index.json, each country's bounding box, and a
 *   <ISO2>.json per country) from options.bordersFromZoom on, fetched for the countries in view.
 * incidentRegionShape(cc, name, lat, lon, radiusM) resolves to the rings of the region a region-level
 * incident names, or null: the incident layer then draws the region itself instead of a ring.
 * Names are set as text (never as markup).
 */
(function (global) {
  "use strict";
  var admin1 = null, indexOnce = null, countries = {};

  function getJson(url, empty) {
    return fetch(url).then(function (r) { return r.ok ? r.json() : empty; })
      .catch(function () { return empty; });
  }
  function countryIndex() {
    if (!indexOnce) indexOnce = admin1 ? getJson(admin1.url + "/index.json", {}) : Promise.resolve({});
    return indexOnce;
  }
  function country(cc) {
    if (!countries[cc]) {
      countries[cc] = countryIndex().then(function (index) {
        return index[cc] ? getJson(admin1.url + "/" + cc + ".json" + admin1.query, {regions: []}) : {regions: []};
      });
    }
    return countries[cc];
  }

  // "Kharkivs'ka Oblast'", "Kharkiv Oblast" and "Kharkiv" fold alike.
  var GENERIC = new RegExp("\\b(oblast|oblasti|region|province|governorate|muhafazat|state|county|" +
    "district|krai|kray|raion|rayon|voivodeship|autonomous|republic|city|of|the)\\b", "g");
  function fold(s) {
    return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019\u02bc`]/g, "").replace(/[^a-z0-9]+/g, " ").replace(GENERIC, " ")
      .replace(/(skaya|skyi|skiy|ska)\b/g, "").replace(/\s+/g, " ").trim();
  }

  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a[1] > lat) !== (b[1] > lat) && lon < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }
  function contains(region, lon, lat) {
    var hits = 0;
    region.rings.forEach(function (ring) { if (inRing(lon, lat, ring)) hits++; });
    return hits % 2 === 1;
  }

  // The region a region-level place stands for: one of its country's regions that holds its point,
  // named alike, or as large as the place's own radius says (a "border area" is not its oblast).
  global.incidentRegionShape = function (cc, name, lat, lon, radiusM) {
    if (!admin1 || !cc) return Promise.resolve(null);
    return country(cc).then(function (d) {
      var want = fold(name), found = null;
      d.regions.forEach(function (r) {
        if (found || !contains(r, lon, lat)) return;
        var b = r.bbox, halfDiagKm = 111 * Math.sqrt(Math.pow((b[2] - b[0]) * Math.cos(lat * Math.PI / 180), 2) +
          Math.pow(b[3] - b[1], 2)) / 2;
        var named = want && fold(r.name) && (want === fold(r.name) || want.indexOf(fold(r.name)) === 0 ||
          fold(r.name).indexOf(want) === 0);
        if (named || radiusM / 1000 >= 0.4 * halfDiagKm) found = r;
      });
      return found;
    });
  };

  function drawBorders(map, group, drawn, options) {
    if (map.getZoom() < options.bordersFromZoom) { group.remove(); return; }
    group.addTo(map);
    countryIndex().then(function (index) {
      var view = map.getBounds();
      Object.keys(index).forEach(function (cc) {
        var b = index[cc];
        if (drawn[cc] || b[2] < view.getWest() || b[0] > view.getEast() || b[3] < view.getSouth() ||
            b[1] > view.getNorth()) return;
        drawn[cc] = true;
        country(cc).then(function (d) {
          d.regions.forEach(function (r) {
            group.addLayer(L.polygon(r.rings.map(function (ring) {
              return ring.map(function (p) { return [p[1], p[0]]; });
            }), {pane: "admin1", interactive: false, fill: false, color: "#8e7cc3", weight: 1.2,
                 dashArray: "5 4", className: "admin1-border"}));
          });
        });
      });
    });
  }

  function labelIcon(name, part) {
    var box = document.createElement("div"), dot = document.createElement("span"),
        text = document.createElement("span");
    dot.className = "city-dot";
    text.className = part ? "city-name city-part" : "city-name";
    text.textContent = name;
    box.appendChild(dot);
    box.appendChild(text);
    return L.divIcon({className: "city-label", html: box, iconSize: null, iconAnchor: [3, 3]});
  }

  function drawLabels(map, group, lists, options) {
    var zoom = map.getZoom(), view = map.getBounds().pad(0.05), taken = {}, shown = 0;
    group.clearLayers();
    lists.forEach(function (list) {
      for (var k = 0; k < list.length && shown < options.maxLabels; k++) {
        var c = list[k];
        if (c[3] > zoom || !view.contains([c[1], c[2]])) continue;
        var p = map.latLngToContainerPoint([c[1], c[2]]), cx = Math.floor(p.x / 120), cy = Math.floor(p.y / 20);
        if (taken[cx + ":" + cy] || taken[(cx + 1) + ":" + cy] || taken[(cx - 1) + ":" + cy]) continue;
        taken[cx + ":" + cy] = true;
        shown++;
        group.addLayer(L.marker([c[1], c[2]], {pane: "labels", interactive: false, keyboard: false,
                                               icon: labelIcon(c[0], c[4])}));
      }
    });
  }

  global.incidentReference = function (map, options) {
    admin1 = {url: options.admin1, query: options.query || ""};
    [["admin1", 260], ["labels", 450]].forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = p[1];
      pane.style.pointerEvents = "none";
    });
    var borders = L.layerGroup(), drawnBorders = {}, labels = L.layerGroup().addTo(map);
    var cities = [], towns = null;
    function redraw() {
      if (map.getZoom() >= options.townsFromZoom && towns === null) {
        towns = [];
        getJson(options.towns, {cities: []}).then(function (d) { towns = d.cities || []; redraw(); });
      }
      drawLabels(map, labels, map.getZoom() >= options.townsFromZoom ? [cities, towns] : [cities], options);
      drawBorders(map, borders, drawnBorders, options);
    }
    getJson(options.cities, {cities: []}).then(function (d) { cities = d.cities || []; redraw(); });
    map.on("moveend", redraw);
    return {labels: labels, borders: borders};
  };
})(window);
