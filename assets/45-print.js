/* Print buttons outside the map page: the header's "Imprimer" prints the page as it is when the
   page has no print area of its own; buttons with the class js-print always do. */
document.addEventListener('click', function (event) {
  var t = event.target && event.target.closest ? event.target.closest('#print, .js-print') : null;
  if (!t) { return; }
  if (t.id === 'print' && document.getElementById('print-area')) { return; }  // the map page prints its list
  setTimeout(function () { window.print(); }, 50);
});
