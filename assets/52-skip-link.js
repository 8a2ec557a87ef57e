/* « Aller au contenu » / "Skip to content": move focus to <main> without touching the address.
   A plain #content link changes the URL's hash, and Dash's dcc.Location then reports the address
   again, so the router rebuilt the whole page (and its filters) on pages whose address holds
   filters. Here the link focuses the main region itself and the address stays as it is. */
(function () {
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a.skip-link') : null;
    if (!link) { return; }
    var target = document.getElementById((link.getAttribute('href') || '').replace(/^#/, ''));
    if (!target) { return; }
    event.preventDefault();
    target.focus();
    if (target.scrollIntoView) { target.scrollIntoView({block: 'start'}); }
  });
})();
