/* Network page (/reseau): the partnerships as a list or as a graph, and the names in the graph.

   A phone (576 px wide or less) shows the list first, a wider screen the graph; the two buttons switch
   (click, tap, Enter or Space) and say which view shows (aria-pressed). The graph, drawn while it was
   hidden, is sized again when it shows.

   The graph's names (the most connected services, in the order the server gave them, see
   maillage_dash/network/figures.py) are kept while they fit: a name that would cover one already kept,
   or reach past the plot's edges, is hidden — its symbol keeps its hover and tap text. Done again after
   every redraw (zoom, pan, new filters, another width). */
(function () {
  var PHONE = '(max-width: 576px)';
  var GAP = 2;  // px kept free between two names

  function graphOf(root) { return (root || document).querySelector('#net-graph .js-plotly-plot'); }

  function fitLabels(gd) {
    var size = gd && gd._fullLayout && gd._fullLayout._size;
    if (!size || !gd.clientWidth) { return; }
    var base = gd.getBoundingClientRect();
    var area = { left: base.left + size.l, top: base.top + size.t, right: base.left + size.l + size.w, bottom: base.top + size.t + size.h };
    var notes = Array.prototype.slice.call(gd.querySelectorAll('g.annotation[data-index]'));
    notes.sort(function (a, b) { return Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')); });
    var kept = [];
    notes.forEach(function (note) {
      note.style.visibility = '';
      var r = note.getBoundingClientRect();
      var inside = r.width > 0 && r.left >= area.left && r.right <= area.right && r.top >= area.top && r.bottom <= area.bottom;
      var free = inside && kept.every(function (o) {
        return r.right + GAP <= o.left || r.left >= o.right + GAP || r.bottom + GAP <= o.top || r.top >= o.bottom + GAP;
      });
      if (free) { kept.push(r); } else { note.style.visibility = 'hidden'; }
    });
  }

  function soonFit(gd) {
    if (gd.dataset.labelsPending) { return; }
    gd.dataset.labelsPending = '1';
    window.requestAnimationFrame(function () { delete gd.dataset.labelsPending; fitLabels(gd); });
  }

  function setView(views, view) {
    views.setAttribute('data-view', view);
    document.querySelectorAll('.net-view-toggle button[data-view]').forEach(function (button) {
      button.setAttribute('aria-pressed', button.getAttribute('data-view') === view ? 'true' : 'false');
    });
    var gd = graphOf(views);
    if (view === 'graph' && gd && window.Plotly && window.Plotly.Plots) {
      Promise.resolve(window.Plotly.Plots.resize(gd)).then(function () { soonFit(gd); });
    }
  }

  function watch() {
    var views = document.getElementById('net-views');
    if (views && !views.hasAttribute('data-view')) {
      setView(views, window.matchMedia(PHONE).matches ? 'list' : 'graph');
    }
    var gd = graphOf();
    if (gd && typeof gd.on === 'function' && !gd.dataset.labelsWatched) {
      gd.dataset.labelsWatched = '1';
      gd.on('plotly_afterplot', function () { soonFit(gd); });
      gd.on('plotly_relayout', function () { soonFit(gd); });
      soonFit(gd);
    }
  }

  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('.net-view-toggle button[data-view]') : null;
    var views = document.getElementById('net-views');
    if (!button || !views) { return; }
    setView(views, button.getAttribute('data-view'));
  });

  var timer = null;
  new MutationObserver(function () { clearTimeout(timer); timer = setTimeout(watch, 60); })
    .observe(document.documentElement, { childList: true, subtree: true });
  // Paper is narrower than the screen: draw the graph at the printed width, then back.
  function resize() {
    var gd = graphOf();
    if (gd && gd.clientWidth && window.Plotly && window.Plotly.Plots) {
      Promise.resolve(window.Plotly.Plots.resize(gd)).then(function () { soonFit(gd); });
    }
  }
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  window.maillageNetworkLabels = fitLabels;
})();
