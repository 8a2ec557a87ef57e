/* Place names on every map, with no internet: the figure's layout.meta.labels (regions, then the
   biggest towns, see maillage_dash/basemap.py) are drawn as plain text over the map and follow it when
   it moves or zooms. MapLibre's own text needs font files from a server; this needs nothing.
   A label that would cover one already drawn is left out (regions first, then towns by size).
   Numbers on markers the same way: a scattermap trace with meta.marks (one text per point) gets them
   drawn first, so no place name covers them: meta.mark "pill" (nearby map: the list's ranks on a pill of
   the marker's colour, all drawn, the first ranks on top) or "badge" (home map: the count of services at
   one point, at the marker's upper right, largest first, one that would cover another left out). */
(function () {
  var PAD = 3;

  function mapOf(gd) {
    var full = gd && gd._fullLayout;
    var sub = full && full.map && full.map._subplot;
    return sub && sub.map ? sub.map : null;
  }

  function draw(gd) {
    // While a map is printed as a picture (assets/45-print.js), its names stay where the picture has them:
    // the printed page resizes the map, and names drawn for that size would not match the picture.
    if (window.maillagePrintMaps && window.maillagePrintMaps.active) { return; }
    var map = mapOf(gd);
    var labels = gd.layout && gd.layout.meta && gd.layout.meta.labels;
    if (!map || !labels) { return; }
    var box = gd.querySelector('.map-labels');
    var host = map.getContainer();
    if (!box || box.parentNode !== host) {
      box = document.createElement('div');
      box.className = 'map-labels';
      box.setAttribute('aria-hidden', 'true');  // the regions are named in the table and the hover text
      host.appendChild(box);
    }
    var zoom = map.getZoom();
    var width = host.clientWidth, height = host.clientHeight;
    // Text widths are estimated from the font size the page gives names (bigger in presentation mode:
    // « Abitibi-Témiscamingue » was cut at the map's edge there).
    var scale = fontScale(box);
    var taken = [];
    var marks = markHtml(gd, map, width, height, taken);
    var bar = colourBar(gd, host);
    var html = [];
    labels.forEach(function (l) {
      if (zoom < (l.z || 0) || (l.k === 'r' && zoom > 8.5)) { return; }
      var p = anchor(map, l, width, height);
      if (p.x < -50 || p.y < -20 || p.x > width + 50 || p.y > height + 20) { return; }
      var f = scale[l.k] || 1;
      var w = l.t.length * (l.k === 'r' ? 7.2 : 6.4) * f + 2 * PAD, h = (l.k === 'r' ? 18 : 16) * f;
      // A name whose place is at (or just past) the map's edge is moved in, whole, rather than cut by the
      // edge (« Côte-Nord » at the top of the default view).
      var x = clamp(p.x, w / 2 + 2, width - w / 2 - 2), y = clamp(p.y, h / 2 + 2, height - h / 2 - 2);
      var r = { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
      // Not under the colour bar: just below it (the bar sits at the map's top, over the north).
      if (bar && overlaps(r, [bar]) && bar.y1 + h + 2 <= height) {
        y = bar.y1 + h / 2 + 2;
        r = { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
      }
      if (overlaps(r, taken)) { return; }
      taken.push(r);
      var text = l.t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      html.push('<span class="map-label map-label-' + l.k + '" style="left:' + x.toFixed(1) + 'px;top:' +
                y.toFixed(1) + 'px">' + text + '</span>');
    });
    box.innerHTML = html.join('') + marks.join('');
  }

  // Where a name goes: its place, or for a region whose place is out of view, the first of its other
  // points (further south, inside the region) that is in view (« Côte-Nord » on a wide screen).
  function anchor(map, l, width, height) {
    var p = map.project([l.x, l.y]);
    var inView = function (q) { return q.x >= 0 && q.y >= 0 && q.x <= width && q.y <= height; };
    if (inView(p) || !l.a) { return p; }
    for (var i = 0; i < l.a.length; i++) {
      var q = map.project(l.a[i]);
      if (inView(q)) { return q; }
    }
    return p;
  }

  // The colour bar's box in the map's own coordinates, if the figure has one.
  function colourBar(gd, host) {
    var el = gd.querySelector('.colorbar');
    if (!el || !el.getBoundingClientRect) { return null; }
    var b = el.getBoundingClientRect(), o = host.getBoundingClientRect();
    if (!b.width || !b.height) { return null; }
    return { x0: b.left - o.left, y0: b.top - o.top, x1: b.right - o.left, y1: b.bottom - o.top };
  }

  // The names' font sizes (the box's --map-label-r / --map-label-v, assets/10-maillage.css) relative to
  // those the widths above are for (12 px regions, 11 px towns).
  function fontScale(box) {
    var style = window.getComputedStyle(box);
    return {
      r: (parseFloat(style.getPropertyValue('--map-label-r')) || 12) / 12,
      v: (parseFloat(style.getPropertyValue('--map-label-v')) || 11) / 11
    };
  }

  function clamp(v, lo, hi) { return hi < lo ? v : Math.min(Math.max(v, lo), hi); }

  function escapeText(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  }

  function overlaps(r, taken) {
    for (var i = 0; i < taken.length; i++) {
      var o = taken[i];
      if (r.x0 < o.x1 && r.x1 > o.x0 && r.y0 < o.y1 && r.y1 > o.y0) { return true; }
    }
    return false;
  }

  // The marks of every trace that has some, as HTML; their boxes are added to `taken`.
  function markHtml(gd, map, width, height, taken) {
    var out = [];
    (gd.data || []).forEach(function (trace) {
      var meta = trace && trace.meta;
      if (!meta || !meta.marks || trace.visible === false || !trace.lat || !trace.lon) { return; }
      var pill = meta.mark === 'pill';
      var colour = trace.marker && typeof trace.marker.color === 'string' ? trace.marker.color : '#444';
      var sizes = trace.marker && trace.marker.size;
      var order = [];
      for (var i = 0; i < meta.marks.length; i++) { if (meta.marks[i]) { order.push(i); } }
      var sizeOf = function (i) { return Array.isArray(sizes) ? +sizes[i] || 0 : +sizes || 0; };
      // Pills: last drawn is on top, so the first ranks go last. Badges: the biggest counts first.
      if (pill) { order.reverse(); } else { order.sort(function (a, b) { return sizeOf(b) - sizeOf(a); }); }
      var html = [];
      order.forEach(function (i) {
        var p = map.project([+trace.lon[i], +trace.lat[i]]);
        if (p.x < -30 || p.y < -30 || p.x > width + 30 || p.y > height + 30) { return; }
        var text = String(meta.marks[i]);
        var x = p.x, y = p.y;
        if (!pill) { var off = 0.72 * sizeOf(i) / 2 + 4; x += off; y -= off; }
        var w = pill ? Math.max(22, text.length * 7.2 + 14) : text.length * 6.6 + 10, h = pill ? 22 : 17;
        var r = { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
        if (!pill && overlaps(r, taken)) { return; }
        taken.push(r);
        html.push('<span class="map-mark map-mark-' + (pill ? 'pill' : 'badge') + '" data-point="' + i + '" style="left:' +
                  x.toFixed(1) + 'px;top:' + y.toFixed(1) + 'px' + (pill ? ';background:' + escapeText(colour) : '') + '">' +
                  escapeText(text) + '</span>');
      });
      out = out.concat(html);
    });
    return out;
  }

  function watch(gd) {
    var map = mapOf(gd);
    if (!map || gd.dataset.labelsWatched === '1') { return; }
    gd.dataset.labelsWatched = '1';
    var pending = false;
    var redraw = function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(gd); });
    };
    map.on('move', redraw);
    map.on('resize', redraw);
    if (gd.on) { gd.on('plotly_afterplot', function () { redraw(); }); }
    draw(gd);
  }

  // Maps appear and are replaced as pages change: look for new ones now and then (cheap).
  function scan() {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      if (gd.layout && gd.layout.meta && gd.layout.meta.labels) {
        if (gd.dataset.labelsWatched === '1' && !mapOf(gd)) { delete gd.dataset.labelsWatched; }
        watch(gd);
      }
    });
  }
  window.setInterval(scan, 700);
  window.maillageMapLabels = { draw: draw, scan: scan };
})();
