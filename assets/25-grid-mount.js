/* The table's grid (AG Grid) is mounted in its slot (#grid-slot, maillage_dash/map/layout.py) once the
   map's regions are drawn: on a phone, setting AG Grid up takes about a second of processor time, which
   otherwise comes before the map's first drawing. The page's static rows (.grid-static) show the table's
   first lines meanwhile. The grid comes at once when the map is not shown, when someone reaches for the
   table (a tap, a click or the keyboard in the results), and at the latest WAIT ms after the slot appeared
   (a browser that cannot draw the map). */
(function () {
  var WAIT = window.maillageGridWait || 6000;  // (tests set it before the page's scripts run)
  var timer = null;
  function ready() { return !!(window.dash_clientside && window.dash_clientside.set_props); }
  // dash-ag-grid's own script is not run with the page (maillage_dash/site/bundles.py): loaded here,
  // from the address the page gives, before the grid is asked for.
  var loading = null;
  function loadGrid() {
    if (window.dash_ag_grid && window.dash_ag_grid.AgGrid) { return Promise.resolve(); }
    var link = document.querySelector('link[data-grid-script]');
    if (!link) { return Promise.resolve(); }  // the script is in the page
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = link.getAttribute('href');
        script.onload = resolve;
        script.onerror = function () { loading = null; script.remove(); reject(new Error('grid script')); };
        document.body.appendChild(script);
      });
    }
    return loading;
  }
  function ask(slot) {
    if (slot.hasAttribute('data-asked') || !ready()) { return; }
    slot.setAttribute('data-asked', '');
    loadGrid().then(function () {
      window.dash_clientside.set_props('grid-go', { data: true });
    }).catch(function () {
      // not loaded (the connection dropped): asked again at the next check
      slot.removeAttribute('data-asked');
      if (!timer) { timer = setTimeout(check, 1000); }
    });
  }
  function due(slot) {
    if (slot.firstChild) { return true; }  // already mounted (a callback filled it)
    var wrap = document.querySelector('.map-wrap');
    if (!wrap || wrap.offsetParent === null) { return true; }  // no map on this page, or hidden
    if (window.maillageRegionsDrawn && window.maillageRegionsDrawn(wrap)) { return true; }
    if (!slot.__seen) { slot.__seen = Date.now(); }
    return Date.now() - slot.__seen > WAIT;
  }
  function check() {
    timer = null;
    var slot = document.getElementById('grid-slot');
    if (!slot || slot.hasAttribute('data-asked')) { return; }
    if (due(slot)) { ask(slot); }
    if (!slot.hasAttribute('data-asked')) { timer = setTimeout(check, 100); }
  }
  function watch() {
    var slot = document.getElementById('grid-slot');
    if (!timer && slot && !slot.hasAttribute('data-asked')) { timer = setTimeout(check, 50); }
  }
  function reach(event) {
    var slot = document.getElementById('grid-slot');
    var target = event.target;
    if (slot && target && target.closest && target.closest('.grid-wrap, .export-bar, #results')) { ask(slot); }
  }
  ['pointerdown', 'focusin', 'keydown'].forEach(function (name) { document.addEventListener(name, reach, true); });
  new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
  watch();
})();
