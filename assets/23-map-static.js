/* The map's regions as a picture (.map-static, maillage_dash/map/static_map.py) stay in the map's place
   until MapLibre has drawn the regions of the live map, then are hidden for good. */
(function () {
  var timer = null;
  function drawn(wrap) {
    var gd = wrap.querySelector('.js-plotly-plot');
    var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    var map = sub && sub.map;
    if (!map || !map.getStyle || !map.isStyleLoaded || !map.isStyleLoaded()) { return false; }
    var layers = map.getStyle().layers.filter(function (l) { return l.type === 'fill'; }).map(function (l) { return l.id; });
    return layers.length > 0 && map.queryRenderedFeatures({ layers: layers }).length > 0;
  }
  window.maillageRegionsDrawn = function (wrap) { try { return drawn(wrap); } catch (e) { return false; } };
  function hideDrawn() {
    var waiting = document.querySelectorAll('.map-wrap > .map-static:not([data-done])');
    for (var i = 0; i < waiting.length; i++) {
      var ok = false;
      try { ok = drawn(waiting[i].parentNode); } catch (e) { ok = false; }
      if (ok) {
        waiting[i].setAttribute('data-done', '');
        waiting[i].style.display = 'none';
      }
    }
  }
  // At once, when a map already drawn is moved into Dash's page (assets/07-live-map.js).
  window.maillageHideDrawnPictures = hideDrawn;
  function check() {
    timer = null;
    hideDrawn();
    if (document.querySelector('.map-wrap > .map-static:not([data-done])')) { timer = setTimeout(check, 100); }
  }
  function watch() { if (!timer && document.querySelector('.map-wrap > .map-static:not([data-done])')) { timer = setTimeout(check, 100); } }
  new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
  watch();
})();
