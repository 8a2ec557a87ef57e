/* « Lien copié » / "Link copied": said beside a copy button once it is pressed (and read out by screen
   readers through the status region), then cleared after a few seconds. */
(function () {
  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('.share, .dash-clipboard, [id*="clipboard"], .btn') : null;
    if (!button) { return; }
    var box = button.parentElement;
    var status = box && box.querySelector('.copied-status');
    if (!status) { return; }
    status.textContent = status.getAttribute('data-text') || 'Lien copié';
    clearTimeout(status._timer);
    status._timer = setTimeout(function () { status.textContent = ''; }, 4000);
  }, true);
})();
