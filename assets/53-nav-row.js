/* On a phone the page links are one row that scrolls sideways (assets/10-maillage.css): its right edge
   fades while more links are hidden there, and the current page's link is brought into view. */
(function () {
  function update(nav, row) {
    var more = row.scrollWidth - row.clientWidth - row.scrollLeft > 4;
    nav.classList.toggle('nav-more', more);
  }
  function setUp() {
    var row = document.querySelector('.app-header .main-nav');
    var nav = row && row.closest('nav');
    if (!row || !nav || row.dataset.rowWatched === '1') { return; }
    row.dataset.rowWatched = '1';
    var current = row.querySelector('.nav-link.active');
    if (current && row.scrollWidth > row.clientWidth) {
      var left = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
      row.scrollLeft = Math.max(0, left);
    }
    update(nav, row);
    row.addEventListener('scroll', function () { update(nav, row); }, { passive: true });
    window.addEventListener('resize', function () { update(nav, row); });
  }
  window.setInterval(setUp, 700);
  if (document.readyState !== 'loading') { setUp(); } else { document.addEventListener('DOMContentLoaded', setUp); }
})();
