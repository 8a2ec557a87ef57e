/* Quick exit ("Quitter rapidement"): the button or the Esc key blanks the page at once, then
   replaces it with a neutral site, as sites for people facing violence do. location.replace()
   keeps Maillage out of the Back button for this tab. Works offline too: the page is emptied first.
   Esc is left alone while an open list or menu would use it to close itself. */
(function () {
  function quickExit() {
    var btn = document.getElementById('quick-exit');
    var url = (btn && btn.getAttribute('data-href')) || 'https://www.google.ca/';
    try { document.title = 'Google'; document.body.innerHTML = ''; } catch (e) { /* keep going */ }
    window.location.replace(url);
  }
  window.maillageQuickExit = quickExit;
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.closest && target.closest('#quick-exit')) {
      event.preventDefault();
      quickExit();
    }
  }, true);
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') { return; }
    var active = document.activeElement;
    // An open dropdown, listbox or dialog takes Esc to close itself; the next Esc leaves.
    if (active && active.closest && active.closest('[aria-expanded="true"], [role="dialog"], .dash-dropdown-content, .Select.is-open')) { return; }
    if (document.querySelector('[role="listbox"]:not([hidden]) [role="option"]') && active && active.getAttribute('role') === 'combobox') { return; }
    quickExit();
  }, true);
})();
