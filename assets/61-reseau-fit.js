/* Network page (/reseau): fit the map of links between regions to the bounds the server put in
   layout.meta.fit ([west, south, east, north]) for the map's actual size, so that a phone and a
   projector get the same framing. Runs again when the filters change the links or the window
   changes size; a zoom or pan by the user is kept until then. */
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
    var zoom = Math.log2(Math.min(gd.clientWidth / (dx * 512), gd.clientHeight / (dy * 512)) * 0.95);
    zoom = Math.max(1.5, Math.min(zoom, 9));
    var yc = (merc(n) + merc(s)) / 2;
    var lat = (2 * Math.atan(Math.exp(yc)) - Math.PI / 2) * 180 / Math.PI;
    window.Plotly.relayout(gd, { 'map.center': { lon: (w + e) / 2, lat: lat }, 'map.zoom': zoom });
  }
  function watch() {
    var gd = document.querySelector('#net-map .js-plotly-plot');
    if (!gd) { return; }
    if (!gd.dataset.fitWatched && typeof gd.on === 'function') {
      gd.dataset.fitWatched = '1';
      gd.on('plotly_afterplot', function () { fit(gd); });
    }
    fit(gd);
  }
  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(watch, 150); }
  new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('resize', function () {
    var gd = document.querySelector('#net-map .js-plotly-plot');
    if (gd) { delete gd.dataset.fitKey; }
    soon();
  });
})();
