/* The home page's service detail (#detail) opens below the table on a phone: after a tap (or Enter) on a
   row of the table, bring it into view and put the focus on its title, so the choice visibly does
   something (it opened under the fold and nothing seemed to happen). Only after a gesture on the table:
   a detail restored from the address at load, or a desktop where it opens beside the table, is left alone. */
(function () {
  var asked = 0;
  function gesture(event) {
    var target = event.target;
    if (!target || !target.closest || !target.closest('#grid .ag-row')) { return; }
    if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') { return; }
    asked = Date.now();
  }
  document.addEventListener('click', gesture, true);
  document.addEventListener('keydown', gesture, true);
  function follow(detail) {
    if (!asked || Date.now() - asked > 5000) { return; }
    var title = detail.querySelector('h3');
    if (!title) { return; }
    asked = 0;
    var box = detail.getBoundingClientRect();
    var visible = box.top >= 0 && box.top < window.innerHeight * 0.6;
    if (!visible) { detail.scrollIntoView({ block: 'start', behavior: 'smooth' }); }
    if (!title.hasAttribute('tabindex')) { title.setAttribute('tabindex', '-1'); }
    // Keyboard users continue from the detail; a tap keeps its place in the table (no focus ring shown).
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest('#grid') &&
        window.matchMedia('(max-width: 1199.98px)').matches) {
      title.focus({ preventScroll: true });
    }
  }
  var watched = null;
  function watch() {
    var detail = document.getElementById('detail');
    if (!detail || detail === watched) { return; }
    watched = detail;
    new MutationObserver(function () { follow(detail); }).observe(detail, { childList: true, subtree: true });
  }
  window.setInterval(watch, 700);
  watch();
})();
