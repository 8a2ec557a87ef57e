/* plotly.js is preloaded on the pages with graphs (maillage_dash/site/bundles.py); run it as soon as Dash
   has asked for its layout (the page's static copy is painted by then, and the browser would otherwise
   wait for the answer doing nothing), instead of when Dash has drawn its graph and asks for plotly.js (a
   second or more later on a phone). Until it has run, window.Plotly is a promise-like stand-in: Dash's graph waits on it
   (it resolves `window.Plotly || load()`), so plotly.js is never loaded twice; scripts that need the real
   one check for Plotly.register or Plotly.Plots, which the stand-in does not have. */
(function () {
  var link = document.querySelector('link[rel="preload"][as="script"][href*="/plotly/package_data/plotly.min.js"]');
  if (!link || window.Plotly) { return; }
  var waiting = [];
  var standIn = { then: function (ok, fail) { waiting.push([ok, fail]); } };
  window.Plotly = standIn;
  function settle(index, value) {
    var list = waiting;
    waiting = [];
    list.forEach(function (w) { w[index](value); });
  }
  function start() {
    var script = document.createElement('script');
    script.src = link.href;
    script.async = true;
    script.onload = function () {
      if (window.Plotly === standIn) { delete window.Plotly; settle(1, new Error('plotly.js did not define Plotly')); return; }
      settle(0, window.Plotly);
    };
    script.onerror = function (e) {
      if (window.Plotly === standIn) { delete window.Plotly; }
      settle(1, e);
    };
    document.body.appendChild(script);
  }
  var started = false;
  function soon() {
    if (!started) { started = true; setTimeout(start, 0); }
  }
  var fetch = window.fetch;
  window.fetch = function (input) {
    var url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!started && url.indexOf('_dash-layout') >= 0) { soon(); }
    return fetch.apply(this, arguments);
  };
  window.addEventListener('load', soon);  // whatever happens, once the page has loaded

})();
