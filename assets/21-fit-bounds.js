/* Coverage page, region profiles and network page: fit each map inside a ".fit-map" box to the bounds
   the server put in layout.meta.fit ([west, south, east, north]), for the map's actual size (phone,
   laptop, projector in presentation mode). Runs after each redraw whose bounds or size changed, and on
   window resize; a zoom or pan by the user is kept until then. (The main map page has its own fitter,
   20-map-fit.js, because its bounds come from the chosen regions in the address, not from the figure.) */
(function () {
  function merc(lat) { var r = lat * Math.PI / 180; return Math.log(Math.tan(Math.PI / 4 + r / 2)); }
  function fit(gd) {
    var b = gd.layout && gd.layout.meta && gd.layout.meta.fit;
    if (!b || !window.Plotly || !gd._fullLayout || !gd._fullLayout.map || !gd.clientWidth) { return; }
    var key = b.join(',') + '|' + gd.clientWidth + 'x' + gd.clientHeight;
    if (gd.dataset.fitKey === key) { return; }
    gd.dataset.fitKey = key;
    var w = b[0], s = b[1], e = b[2], n = b[3];
    var dx = Math.max((e - w) / 360, 1e-6);
    var dy = Math.max((merc(n) - merc(s)) / (2 * Math.PI), 1e-6);
    var zoom = Math.log2(Math.min(gd.clientWidth / (dx * 512), gd.clientHeight / (dy * 512)) * 0.92);
    zoom = Math.max(1, Math.min(zoom, 10));
    var yc = (merc(n) + merc(s)) / 2;
    var lat = (2 * Math.atan(Math.exp(yc)) - Math.PI / 2) * 180 / Math.PI;
    window.Plotly.relayout(gd, { 'map.center': { lon: (w + e) / 2, lat: lat }, 'map.zoom': zoom });
    // The drawn map may lag behind the layout (see 20-map-fit.js): make sure it shows this view.
    if (window.maillageEnsureView) { window.maillageEnsureView(gd, { lon: (w + e) / 2, lat: lat, zoom: zoom }, 0); }
  }
  function watchAll() {
    document.querySelectorAll('.fit-map .js-plotly-plot').forEach(function (gd) {
      if (!gd.dataset.fitWatched && typeof gd.on === 'function') {
        gd.dataset.fitWatched = '1';
        gd.on('plotly_afterplot', function () { fit(gd); });
      }
      fit(gd);
    });
  }
  window.maillageFitMaps = watchAll;
  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(watchAll, 150); }
  new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('resize', function () {
    document.querySelectorAll('.fit-map .js-plotly-plot').forEach(function (gd) { delete gd.dataset.fitKey; });
    soon();
  });
  // Paper is narrower than the screen: assets/45-print.js scales each chart and map to the page before
  // printing (a resize here, before the page is laid out for paper, redrew them at the screen's size a
  // moment later and undid that scaling). After printing, each is redrawn at the screen's width again.
  function resizeAll() {
    document.querySelectorAll('.profile .js-plotly-plot, .coverage-page .js-plotly-plot').forEach(function (gd) {
      if (window.Plotly && window.Plotly.Plots) { window.Plotly.Plots.resize(gd); }
      delete gd.dataset.fitKey;
    });
    watchAll();
  }
  window.addEventListener('afterprint', resizeAll);
})();
