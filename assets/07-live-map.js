/* The home page's live map (maillage_dash/map/layout.py): drawn by plotly.js itself in the box
   [data-live-map] rather than by Dash's graph component, so that it can start before Dash.

   - First load: the figure is in the first response (a JSON block, maillage_dash/site/prerender.py); the
     map is drawn in the static copy's box as soon as plotly.js has run, while Dash is still starting, then
     the same drawing (MapLibre's canvas and all) is moved into the box of the page Dash draws, when the
     static copy goes away (assets/05-prerender.js asks for it first).
   - Then: each figure of the store map-figure (the server's Patch after a filter, or the page's figure
     after a navigation) is drawn with Plotly.react, by the clientside callback liveMap
     (assets/15-clientside.js); a click on the map is written into the store map-click, which the server's
     callbacks read as they read dcc.Graph's clickData. The box is resized with its page. */
(function () {
  var BOX = '[data-live-map]';
  var KEPT = ['curveNumber', 'pointNumber', 'pointIndex', 'location', 'customdata', 'lat', 'lon'];
  var early = null;  // the map drawn in the static copy: {gd}, until it is moved into Dash's page
  var wanted = null;  // the figure the page wants now: {key}, the figure as JSON
  var busy = false;
  var clicks = 0;
  var current = null;  // the drawing in Dash's page

  function config(box) {
    return {
      displaylogo: false,
      showSendToCloud: false,  // plotly.js 4's « Share chart… » sends the figure to an outside server
      scrollZoom: true,
      responsive: true,
      locale: box.getAttribute('data-locale') || 'fr',
      modeBarButtonsToRemove: ['select2d', 'lasso2d']
    };
  }
  function plotly() {
    return window.maillageLoadPlotly ? window.maillageLoadPlotly() : Promise.reject(new Error('no plotly.js loader'));
  }

  function clickData(event) {
    var points = ((event && event.points) || []).map(function (p) {
      var out = {};
      KEPT.forEach(function (k) {
        var v = p[k];
        if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') { out[k] = v; }
      });
      return out;
    });
    clicks += 1;  // the same point clicked twice is two clicks
    return { points: points, clicks: clicks };
  }
  function listen(gd) {
    if (gd._maillageLive) { return; }
    gd._maillageLive = true;
    gd.on('plotly_click', function (event) {
      var box = gd.parentNode;
      // Only in Dash's page (the static copy's map shows, Dash is not there to answer yet).
      if (!box || box.id !== 'map' || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
      window.dash_clientside.set_props('map-click', { data: clickData(event) });
    });
    if (window.ResizeObserver) {
      var pending = false;
      new window.ResizeObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          if (document.body.contains(gd) && gd._fullLayout && window.Plotly && window.Plotly.Plots) {
            window.Plotly.Plots.resize(gd);
          }
        });
      }).observe(gd);
    }
  }
  // `key` is the figure as JSON: plotly.js keeps (and changes) the objects it is given, so it gets its own
  // copy, parsed from it, never the store's.
  function draw(box, key) {
    return plotly().then(function (P) {
      var gd = box.querySelector('.js-plotly-plot');
      var fig = JSON.parse(key);
      var done;
      if (gd) {
        done = P.react(gd, fig.data, fig.layout, config(box));
      } else {
        gd = document.createElement('div');
        gd.className = 'live-map-plot';
        gd.style.width = '100%';
        gd.style.height = '100%';
        box.appendChild(gd);
        done = P.newPlot(gd, fig.data, fig.layout, config(box));
      }
      return Promise.resolve(done).then(function () {
        gd._maillageKey = key;
        listen(gd);
        return gd;
      });
    });
  }

  // MapLibre's canvas and worker are let go once the map has settled: plotly.js still had work queued on it
  // (a view set just before the person left), which fails on a map already taken down.
  function free(gd, tries) {
    var sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    var map = sub && sub.map;
    if (map && tries < 25 && (!map.loaded() || map.isMoving())) {
      setTimeout(function () { free(gd, tries + 1); }, 200);
      return;
    }
    setTimeout(function () {
      if (!document.body.contains(gd) && window.Plotly && window.Plotly.purge) { window.Plotly.purge(gd); }
    }, 1000);
  }

  function dashBox() {
    var box = document.getElementById('map');
    return box && box.hasAttribute('data-live-map') ? box : null;
  }
  // Dash's page wants `wanted`: move the early map into its box, draw what differs.
  function sync() {
    if (current && !document.body.contains(current)) {  // the page went away (another page): free its map
      free(current, 0);
      current = null;
    }
    var box = dashBox();
    if (!box || busy) { return; }
    if (early) {
      if (!early.gd) { return; }  // still drawing: sync() again once drawn
      if (!box.querySelector('.js-plotly-plot')) {
        box.appendChild(early.gd);
        if (window.Plotly && window.Plotly.Plots) { window.Plotly.Plots.resize(early.gd); }
        if (window.maillageHideDrawnPictures) { window.maillageHideDrawnPictures(); }
      }
      current = early.gd;
      early = null;
    }
    var gd = box.querySelector('.js-plotly-plot');
    current = gd || current;
    if (!wanted || (gd && gd._maillageKey === wanted.key)) { return; }
    busy = true;
    var target = wanted;
    draw(box, target.key).then(function (drawn) {
      current = drawn;
      busy = false;
      sync();
    }, function () {
      busy = false;
      setTimeout(sync, 1000);  // plotly.js did not load (connection lost): try again
    });
  }
  window.maillageBeforeCopyGoes = sync;

  // The clientside callback: every figure of the store, the first one included.
  window.maillageLiveMap = function (figure) {
    if (figure && figure.data) {
      wanted = { key: JSON.stringify(figure) };
      sync();
      if (!dashBox()) {  // Dash has not put its page in the document yet
        var tries = 0;
        var again = function () { if (!dashBox() && tries++ < 120) { window.requestAnimationFrame(again); } else { sync(); } };
        window.requestAnimationFrame(again);
      }
    }
  };

  // Dash's renderer is started through this (maillage_dash/site/bundles.py): while the map drawn from the
  // first response is on its way, Dash waits for its regions to show (drawing the page would hold the
  // processor before the map's first frame), at most DASH_WAIT ms, and no longer than someone's first tap,
  // click or key; at once when there is no such map or it cannot be drawn (plotly.js or MapLibre did not
  // load, no WebGL).
  var DASH_WAIT = window.maillageDashWait || 3000;  // (tests set it before the page's scripts run)
  var dashGo = null;
  var dashTimer = null;
  function startDash() {
    var go = dashGo;
    dashGo = null;
    clearTimeout(dashTimer);
    if (go) { go(); }
  }
  window.maillageStartDash = function (go) {
    if (!early) { go(); return; }
    dashGo = go;
    dashTimer = setTimeout(startDash, DASH_WAIT);
    // Someone reaching for the page (a tap, a click, a key, the focus moved) gets Dash at once.
    var events = ['pointerdown', 'keydown', 'focusin', 'touchstart'];
    var reach = function () {
      events.forEach(function (name) { document.removeEventListener(name, reach, true); });
      startDash();
    };
    events.forEach(function (name) { document.addEventListener(name, reach, true); });
  };
  function mapOf(gd) {
    var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return sub && sub.map;
  }
  function whenRegionsShow(gd) {
    if (!dashGo) { return; }
    if (!mapOf(gd) || !document.body.contains(gd)) { startDash(); return; }
    if (window.maillageRegionsDrawn && window.maillageRegionsDrawn(gd.parentNode.parentNode)) { startDash(); return; }
    window.requestAnimationFrame(function () { whenRegionsShow(gd); });
  }

  function start() {
    var copyEl = document.getElementById('prerender');
    var box = copyEl && copyEl.querySelector(BOX);
    var block = copyEl && copyEl.querySelector('script[data-store="map-figure"]');
    if (!box || !block) { return; }
    var key;
    try { key = JSON.stringify(JSON.parse(block.textContent)); } catch (e) { return; }  // (the store's spelling)
    early = { gd: null };
    draw(box, key).then(function (gd) {
      if (early) { early.gd = gd; }
      whenRegionsShow(gd);
      sync();
    }, function () {
      early = null;  // Dash's page draws it
      startDash();
    });
  }
  new MutationObserver(function () { if (current || early || wanted) { sync(); } })
    .observe(document.documentElement, { childList: true, subtree: true });
  start();
})();
