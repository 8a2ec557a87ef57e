/* The static copy of the page sent in the first response (maillage_dash/site/prerender.py) goes away
   as soon as Dash has drawn its own header: CSS hides it in that same frame, this removes it so that
   only one copy of the page is in the document. */
(function () {
  function done() {
    if (!document.querySelector('#react-entry-point .app-header')) { return false; }
    var copy = document.getElementById('prerender');
    // The home page's live map, drawn in the copy, first moves into Dash's page (assets/07-live-map.js).
    if (copy && window.maillageBeforeCopyGoes) { window.maillageBeforeCopyGoes(); }
    if (copy) { copy.parentNode.removeChild(copy); }
    return true;
  }
  if (done()) { return; }
  var watcher = new MutationObserver(function () { if (done()) { watcher.disconnect(); } });
  watcher.observe(document.documentElement, { childList: true, subtree: true });
})();
