/* Draw the offline basemap of the map app (our own): country outlines from a local TopoJSON file.
 *
 * incidentBasemap(map, url, options) draws the countries in their own pane under the incidents:
 * filled when the map has no tiles, outlines only over online tiles (a fill would hide them).
 * Natural Earth cuts countries at the date line, so a ring of Russia or Fiji jumps from +180 to -180
 * and back; drawn on a flat map each jump is a stripe across the world. Such rings are made
 * continuous (longitudes past 180) and drawn once more a world to the west or east; a ring that goes
 * round a pole (Antarctica) crosses once, and that crossing is routed along the pole instead.
 */
(function (global) {
  "use strict";

  function jumps(ring) {
    var n = 0;
    for (var i = 1; i < ring.length; i++) { if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) n++; }
    return n;
  }

  function continuous(ring) {
    var out = [ring[0].slice()];
    for (var i = 1; i < ring.length; i++) {
      var lon = ring[i][0], prev = out[i - 1][0];
      while (lon - prev > 180) lon -= 360;
      while (lon - prev < -180) lon += 360;
      out.push([lon, ring[i][1]]);
    }
    return out;
  }

  function roundPole(ring) {
    var sum = 0, out = [ring[0]];
    for (var k = 0; k < ring.length; k++) sum += ring[k][1];
    var pole = sum < 0 ? -90 : 90;
    for (var i = 1; i < ring.length; i++) {
      var a = ring[i - 1], b = ring[i];
      if (Math.abs(b[0] - a[0]) > 180) {
        var edge = a[0] > 0 ? 180 : -180;
        out.push([edge, pole], [-edge, pole]);
      }
      out.push(b);
    }
    return out;
  }

  function shifted(polygon, by) {
    return polygon.map(function (ring) {
      return ring.map(function (p) { return [p[0] + by, p[1]]; });
    });
  }

  // Return the polygons (each a list of rings) to draw for one polygon of the data.
  function flatPolygons(polygon) {
    var crossing = false, lo = Infinity, hi = -Infinity;
    var rings = polygon.map(function (ring) {
      var n = jumps(ring);
      if (!n) return ring;
      if (n % 2) return roundPole(ring);
      crossing = true;
      return continuous(ring);
    });
    if (!crossing) return [rings];
    rings.forEach(function (ring) {
      ring.forEach(function (p) { lo = Math.min(lo, p[0]); hi = Math.max(hi, p[0]); });
    });
    var out = [rings];
    if (hi > 180) out.push(shifted(rings, -360));
    if (lo < -180) out.push(shifted(rings, 360));
    return out;
  }

  function flatGeometry(geometry) {
    if (!geometry) return geometry;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] :
      geometry.type === "MultiPolygon" ? geometry.coordinates : null;
    if (!polygons) return geometry;
    var out = [];
    polygons.forEach(function (p) { out.push.apply(out, flatPolygons(p)); });
    return {type: "MultiPolygon", coordinates: out};
  }

  global.incidentBasemapGeometry = flatGeometry;

  global.incidentBasemap = function (map, url, options) {
    var pane = map.createPane("basemap");
    pane.style.zIndex = 250;
    pane.style.pointerEvents = "none";
    var stats = global.incidentBasemapStats = {fetched_ms: null, drawn_ms: null};
    return fetch(url).then(function (r) { return r.json(); }).then(function (t) {
      return new Promise(function (drawn) {
        // Every change of view projects the countries anew: the first incident layer of the page is
        // about to frame its incidents (assets/incident-layer.js), so draw them once, at that view.
        if (global.incidentFramePending) map.once("incidentsframed", function () { drawn(t); });
        else drawn(t);
      });
    }).then(function (t) {
      var t0 = performance.now();
      stats.fetched_ms = t0;
      var countries = topojson.feature(t, t.objects.countries);
      countries.features.forEach(function (f) { f.geometry = flatGeometry(f.geometry); });
      // The attribution on the layer, not on each country: each would rewrite the attribution box.
      var layer = L.geoJSON(countries, {pane: "basemap", interactive: false,
        style: {color: "#8a99a8", weight: 0.7, fillColor: "#f8f6f0",
                fillOpacity: options.filled ? 1 : 0}});
      layer.options.attribution = options.attribution;
      layer.addTo(map);
      stats.drawn_ms = performance.now() - t0;
      return layer;
    }).catch(function (e) { console.warn("basemap not loaded", e); });
  };
})(window);
