/* plotly.js is fetched ahead on the pages with graphs (the page's list « maillage-preloads »,
   maillage_dash/site/bundles.py); run it as soon as Dash
   has asked for its layout (the page's static copy is painted by then, and the browser would otherwise
   wait for the answer doing nothing), instead of when Dash has drawn its graph and asks for plotly.js (a
   second or more later on a phone) — and at once on the home page, whose live map is drawn from the first
   response, before Dash (assets/07-live-map.js), once the first frame is drawn. Until it has run, window.Plotly is a promise-like
   stand-in: Dash's graph waits on it (it resolves `window.Plotly || load()`), so plotly.js is never loaded
   twice; scripts that need the real one call window.maillageLoadPlotly(), a promise of it (which loads
   it on a page without the preload), or check for Plotly.register or Plotly.Plots, which the stand-in does
   not have. */
(function () {
  var ADDRESS = '/_dash-component-suites/plotly/package_data/plotly.min.js';
  var ahead = document.getElementById('maillage-preloads');
  var wanted = false;  // the page draws a graph: its list of what to fetch ahead names plotly.js
  try {
    wanted = !!ahead && JSON.parse(ahead.textContent).some(function (x) { return x[1] === ADDRESS; });
  } catch (e) { wanted = false; }
  var waiting = [];
  var standIn = null;
  var promise = null;
  function real() { return !!(window.Plotly && window.Plotly.newPlot && !window.Plotly.then); }
  function settle(index, value) {
    var list = waiting;
    waiting = [];
    list.forEach(function (w) { w[index](value); });
  }
  function wait() {  // Dash's graph waits on the stand-in rather than loading plotly.js itself
    if (standIn || window.Plotly) { return; }
    standIn = { then: function (ok, fail) { waiting.push([ok, fail]); } };
    window.Plotly = standIn;
  }
  function load() {
    if (promise) { return promise; }
    if (real()) { promise = Promise.resolve(window.Plotly); return promise; }
    wait();
    promise = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.onload = function () {
        if (window.Plotly === standIn) {
          delete window.Plotly;
          standIn = null;
          promise = null;
          var error = new Error('plotly.js did not define Plotly');
          settle(1, error);
          reject(error);
          return;
        }
        settle(0, window.Plotly);
        resolve(window.Plotly);
      };
      script.onerror = function (e) {
        if (window.Plotly === standIn) { delete window.Plotly; }
        standIn = null;
        promise = null;  // asked again, tried again
        script.remove();
        settle(1, e);
        reject(e);
      };
      script.src = ADDRESS;
      script.async = true;
      document.body.appendChild(script);
    });
    return promise;
  }
  window.maillageLoadPlotly = load;
  if (!wanted || window.Plotly) { return; }
  wait();
  // The home page's figure is in the first response: plotly.js as soon as the page's first frame is drawn
  // (run before it, its 0.7 s on a slow phone held back the first sight of the page's picture and rows).
  if (document.querySelector('#prerender script[data-store]')) {
    window.requestAnimationFrame(function () { setTimeout(load, 0); });
    return;
  }
  var started = false;
  function soon() {
    if (!started) { started = true; setTimeout(load, 0); }
  }
  var fetch = window.fetch;
  window.fetch = function (input) {
    var url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!started && url.indexOf('_dash-layout') >= 0) { soon(); }
    return fetch.apply(this, arguments);
  };
  window.addEventListener('load', soon);  // whatever happens, once the page has loaded
})();
