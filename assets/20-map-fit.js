/* Fit the map to the chosen regions (or to all Québec) for the actual size of the map on
   this screen: a phone and a projector get the same framing. Runs in the browser only. */
window.maillageFit = function (store, tries) {
  var boundsEl = document.getElementById('region-bounds');
  var gd = document.querySelector('#map .js-plotly-plot');
  // Not before MapLibre has loaded the map's style: plotly.js's update of a map still loading fails
  // (« reading 'layers' », seen when the map page was reached again by a link).
  var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  var loaded = !!(sub && sub.map && sub.map.isStyleLoaded && sub.map.isStyleLoaded());
  if (!boundsEl || !gd || !window.Plotly || !gd._fullLayout || !loaded) {
    // The map may still be drawing; a page without a map (the user went elsewhere) stops asking.
    tries = (tries || 0) + 1;
    if (tries < 40 && window.location.pathname === '/') {
      setTimeout(function () { window.maillageFit(store, tries); }, 250);
    }
    return;
  }
  var params = new URLSearchParams((store && store.query) || '');
  var regions = params.getAll('region');
  var key = regions.join(',') || 'all';
  if (gd.dataset.fitKey === key && gd.dataset.fitWidth === String(gd.clientWidth)) { return; }
  var all = JSON.parse(boundsEl.textContent);
  var w = 180, s = 90, e = -180, n = -90;
  (regions.length ? regions : ['all']).forEach(function (code) {
    var b = all[code];
    if (!b) { return; }
    w = Math.min(w, b[0]); s = Math.min(s, b[1]); e = Math.max(e, b[2]); n = Math.max(n, b[3]);
  });
  if (w > e) { return; }
  var merc = function (lat) { var r = lat * Math.PI / 180; return Math.log(Math.tan(Math.PI / 4 + r / 2)); };
  var width = gd.clientWidth || 600, height = gd.clientHeight || 400;
  var dx = (e - w) / 360, dy = (merc(n) - merc(s)) / (2 * Math.PI);
  var zoom = Math.log2(Math.min(width / (dx * 512), height / (dy * 512)) * 0.92);
  zoom = Math.max(1.5, Math.min(zoom, 11));
  var yc = (merc(n) + merc(s)) / 2;
  var latc = (2 * Math.atan(Math.exp(yc)) - Math.PI / 2) * 180 / Math.PI;
  gd.dataset.fitKey = key; gd.dataset.fitWidth = String(gd.clientWidth);
  var target = { lon: (w + e) / 2, lat: latc, zoom: zoom };
  // Every redraw until the person moves the map keeps this view: the figure's update after a filter
  // (a Dash Patch, then Plotly.react) can arrive seconds later on a busy phone and used to put the map
  // back where it was, with the filter's region off screen.
  gd._maillageTarget = target;
  gd._maillageUserMoved = false;
  if (!gd.dataset.fitWatched && typeof gd.on === 'function') {
    gd.dataset.fitWatched = '1';
    // A pan or zoom by the person (wheel, pointer, touch, keys on the map) is theirs to keep.
    ['wheel', 'pointerdown', 'touchstart', 'keydown'].forEach(function (type) {
      gd.addEventListener(type, function () { gd._maillageUserMoved = true; }, { capture: true, passive: true });
    });
    gd.on('plotly_afterplot', function () {
      var t = gd._maillageTarget;
      if (t && !gd._maillageUserMoved) { t.jumps = 0; window.maillageEnsureView(gd, t, 0); }
    });
  }
  window.Plotly.relayout(gd, { 'map.center': { lon: target.lon, lat: target.lat }, 'map.zoom': zoom });
  window.maillageEnsureView(gd, target, 0);
  // The first fit can run before the page has settled its final size: check once more (unless the
  // map has left the page meanwhile: Plotly must not touch a graph that was taken down).
  setTimeout(function () {
    if (!document.body.contains(gd) || !gd._fullLayout) { return; }
    if (gd.dataset.fitWidth !== String(gd.clientWidth)) { delete gd.dataset.fitKey; window.maillageFit(store); }
  }, 600);
};
/* The layout can say one view while the drawn map shows another (the map was still loading the regions,
   or Plotly framed its own "fitbounds" afterwards): check the map actually drawn, and move it there. */
window.maillageEnsureView = function (gd, target, tries) {
  setTimeout(function () {
    if (!document.body.contains(gd) || !gd._fullLayout || !gd._fullLayout.map) { return; }
    if (gd._maillageUserMoved) { return; }  // the person moved the map since: their view wins
    var sub = gd._fullLayout.map._subplot;
    var map = sub && sub.map;
    if (!map) { if (tries < 12) { window.maillageEnsureView(gd, target, tries + 1); } return; }
    var c = map.getCenter(), z = map.getZoom();
    var off = Math.abs(z - target.zoom) > 0.25 || Math.abs(c.lng - target.lon) > 0.05 || Math.abs(c.lat - target.lat) > 0.05;
    // At most two moves per view: a map that cannot reach it exactly (a narrow screen's limits) is left alone.
    target.jumps = target.jumps || 0;
    if (off && !map.isMoving() && target.jumps < 2) {
      target.jumps += 1;
      map.jumpTo({ center: [target.lon, target.lat], zoom: target.zoom });
      gd.layout.map = gd.layout.map || {};
      gd.layout.map.center = { lon: target.lon, lat: target.lat };
      gd.layout.map.zoom = target.zoom;
    }
    // Keep watching a little: the regions' outlines may arrive after this check and move the map again.
    if (tries < 8) { window.maillageEnsureView(gd, target, tries + 1); }
  }, tries === 0 ? 150 : 400);
};
window.addEventListener('resize', function () {
  clearTimeout(window.maillageFitTimer);
  window.maillageFitTimer = setTimeout(function () {
    var gd = document.querySelector('#map .js-plotly-plot');
    if (gd) { delete gd.dataset.fitKey; window.maillageFit({ query: window.location.search }); }
  }, 300);
});
