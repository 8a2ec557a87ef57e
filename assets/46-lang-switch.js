/* The language link keeps everything in the address bar (filters, and a page's own parameters
   such as a place, a radius, a year or the presentation mode): only "lang" changes. The server
   also writes a plain href, used without JavaScript or when the link is copied. */
document.addEventListener('click', function (event) {
  var link = event.target && event.target.closest ? event.target.closest('#lang-link') : null;
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
  var target = link.getAttribute('hreflang') || link.getAttribute('lang');
  if (target !== 'fr' && target !== 'en') { return; }
  var params = new URLSearchParams(window.location.search);
  params.set('lang', target);
  event.preventDefault();
  window.location.assign(window.location.pathname + '?' + params.toString());
}, true);
