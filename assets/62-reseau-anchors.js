/* Network page (/reseau): its in-page links (section list, "go to the list") scroll to the section
   and move the keyboard focus to its heading. The address gets the #section by replaceState: a
   plain hash change would make the router notice the query the filters wrote into the address
   and render the whole page again, losing the scroll position and the focus. */
document.addEventListener('click', function (event) {
  var link = event.target && event.target.closest ? event.target.closest('.reseau a[href^="#"]') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
  var target = document.getElementById(link.getAttribute('href').slice(1));
  if (!target) { return; }
  event.preventDefault();
  if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + link.getAttribute('href'));
});
