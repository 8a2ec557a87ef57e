/* The table's first rows drawn with the page (.grid-static, maillage_dash/map/layout.py) stay over the
   grid until the grid shows its own rows, then are hidden for good (a later filter empties and refills
   the grid: the first rows of the page's first state must not come back). */
(function () {
  // A row of the grid with something written in it (its first row, before the data come, is empty).
  function filled(wrap) {
    var cells = wrap.querySelectorAll('.ag-row .ag-cell');
    for (var i = 0; i < cells.length; i++) { if (cells[i].textContent.trim()) { return true; } }
    return false;
  }
  function check() {
    var waiting = document.querySelectorAll('.grid-wrap > .grid-static:not([data-done])');
    for (var i = 0; i < waiting.length; i++) {
      var wrap = waiting[i].parentNode;
      if (filled(wrap)) {
        waiting[i].setAttribute('data-done', '');
        waiting[i].style.display = 'none';
      }
    }
  }
  new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true });
})();
