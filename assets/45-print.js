/* Print buttons outside the map page: the header's "Imprimer" prints the page as it is when the
   page has no print area of its own; buttons with the class js-print always do. */
document.addEventListener('click', function (event) {
  var t = event.target && event.target.closest ? event.target.closest('#print, .js-print') : null;
  if (!t) { return; }
  if (t.id === 'print' && document.getElementById('print-area')) { return; }  // the map page prints its list
  setTimeout(function () { window.print(); }, 50);
});

/* Graphs on paper: plotly.js draws its SVG at the screen's width, and a page is narrower, so the right
   of a wide chart was cut off (bars beyond the cut looked equal). For printing, each graph's SVG layers
   get a viewBox and are scaled to the page's width; everything is put back after printing. */
(function () {
  var changed = [];
  function fit() {
    if (changed.length) { return; }
    document.querySelectorAll('.js-plotly-plot .svg-container').forEach(function (box) {
      var svgs = box.querySelectorAll(':scope > svg.main-svg');
      if (!svgs.length) { return; }
      var w = parseFloat(svgs[0].getAttribute('width')), h = parseFloat(svgs[0].getAttribute('height'));
      if (!w || !h) { return; }
      changed.push({ el: box, style: box.getAttribute('style') });
      box.style.width = '100%';
      box.style.height = 'auto';
      box.style.aspectRatio = w + ' / ' + h;
      svgs.forEach(function (svg) {
        changed.push({ el: svg, style: svg.getAttribute('style'), viewBox: svg.getAttribute('viewBox') });
        svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
        svg.style.width = '100%';
        svg.style.height = '100%';
      });
    });
  }
  function restore() {
    changed.forEach(function (c) {
      if (c.style === null) { c.el.removeAttribute('style'); } else { c.el.setAttribute('style', c.style); }
      if ('viewBox' in c) {
        if (c.viewBox === null) { c.el.removeAttribute('viewBox'); } else { c.el.setAttribute('viewBox', c.viewBox); }
      }
    });
    changed = [];
  }
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', restore);
  window.maillagePrintFit = { fit: fit, restore: restore };
})();

/* Maps on paper: their WebGL drawing is not kept for the printer (plotly.js asks MapLibre for no
   preserved buffer), so maps printed blank. Before printing, each map is redrawn at once and copied
   into a picture laid over it, which prints; the pictures are removed after printing. The graphs above
   are scaled to the page's width, so the map's frame, its picture and its names are set in fractions
   of the graph instead of screen pixels (a wide map's right and bottom were cut on paper). */
(function () {
  var shots = [], styled = [];
  function keep(el) { styled.push({ el: el, style: el.getAttribute('style') }); }
  function pct(value, whole) { return (parseFloat(value) || 0) / whole * 100 + '%'; }
  function relative(gd, div) {
    var W = gd._fullLayout && gd._fullLayout.width, H = gd._fullLayout && gd._fullLayout.height;
    var w = parseFloat(div.style.width), h = parseFloat(div.style.height);
    if (!W || !H || !w || !h || !/px$/.test(div.style.width)) { return; }
    keep(div);
    div.style.left = pct(div.style.left, W);
    div.style.top = pct(div.style.top, H);
    div.style.width = w / W * 100 + '%';
    div.style.height = h / H * 100 + '%';
    div.style.overflow = 'hidden';
    div.querySelectorAll('.map-label, .map-mark').forEach(function (el) {
      keep(el);
      el.style.left = pct(el.style.left, w);
      el.style.top = pct(el.style.top, h);
    });
  }
  function snapshot() {
    if (shots.length) { return; }
    api.active = true;  // the map names (assets/22-map-labels.js) stay as they are until after printing
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      var sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      var map = sub && sub.map;
      if (!map || !map.getCanvas || !map.redraw) { return; }
      try {
        map.redraw();  // synchronous: the buffer still holds the drawing just below
        var canvas = map.getCanvas();
        var img = document.createElement('img');
        img.src = canvas.toDataURL('image/png');
        img.alt = '';
        img.className = 'map-print-shot';
        img.style.width = '100%';
        img.style.height = '100%';
        canvas.parentNode.insertBefore(img, canvas.nextSibling);
        shots.push(img);
        keep(canvas);
        canvas.style.visibility = 'hidden';  // Chromium prints the canvas at screen size under the picture
        relative(gd, map.getContainer());
      } catch (e) { /* the map stays as it prints */ }
    });
  }
  function drop() {
    api.active = false;
    shots.forEach(function (img) { if (img.parentNode) { img.parentNode.removeChild(img); } });
    shots = [];
    styled.reverse().forEach(function (c) {
      if (c.style === null) { c.el.removeAttribute('style'); } else { c.el.setAttribute('style', c.style); }
    });
    styled = [];
  }
  var api = { snapshot: snapshot, drop: drop, active: false };
  window.addEventListener('beforeprint', snapshot);
  window.addEventListener('afterprint', drop);
  window.maillagePrintMaps = api;
})();

/* Lists folded on screen that a printed page must show whole (the quality page's risks): each
   <details class="print-open"> is opened for printing and folded again after. */
(function () {
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details.print-open:not([open])').forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
