/* The place box of « À proximité » (a Dash dropdown with a search field), made reliable for fast typing
   and for Enter:
   - a key typed on the closed box opens it and goes into its search field, with every following key,
     in order (the dropdown's own focus handling lost or reordered keys typed at 50 ms apart);
   - a key typed while the open list has the focus on an option goes into the search field too;
   - Enter picks the first suggestion that matches what was typed, waiting for the suggestions of that
     text to arrive (Enter used to pick — or clear — the previous place, still highlighted); an Enter
     typed before the list has opened (a busy phone) waits for the keys before it. */
(function () {
  var BOX = '.near-place';
  var buffer = '';
  var flushing = false;
  var replace = false;  // the box was opened by our first key: its search field holds exactly what was typed
  var enterPending = false;  // Enter came while keys were still on their way to the search field
  // Keys whose press we took: their release is taken too. The dropdown acts on key releases: a released
  // letter on the closed box is added to its search, and a released Enter toggles the first option shown
  // — still the current place while the new suggestions are on their way, which cleared the place.
  var taken = {};

  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[-'’.]/g, ' ').replace(/\bste?\b/g, function (m) { return m === 'st' ? 'saint' : 'sainte'; })
      .replace(/\s+/g, ' ').trim();
  }
  function printable(e) { return e.key && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey; }
  function searchField() {
    var content = document.querySelector('.dash-dropdown-content');
    return content ? content.querySelector('input.dash-dropdown-search, .dash-dropdown-search-container input') : null;
  }
  function setValue(input, value) {
    var setter = Object.getOwnPropertyDescriptor(window.HTMLInputElement.prototype, 'value').set;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  function flush(tries) {
    var input = searchField();
    if (!input) {
      if (tries < 200) { setTimeout(function () { flush(tries + 1); }, 25); } else { buffer = ''; flushing = false; enterPending = false; }
      return;
    }
    input.focus();
    if (buffer) { setValue(input, replace ? buffer : (input.value || '') + buffer); buffer = ''; }
    flushing = false;
    replace = false;
    if (enterPending) {
      enterPending = false;
      if (input.value.trim()) { pick(input.value); }
    }
  }
  // Click the first suggestion that starts with (else contains) what was typed, once it has come.
  function pick(typed) {
    var wanted = fold(typed);
    var waited = 0;
    (function attempt() {
      var options = Array.prototype.slice.call(document.querySelectorAll('.dash-dropdown-content [role=option]'));
      var match = options.find(function (o) {
        return !o.querySelector('input[disabled]') && fold(o.textContent).indexOf(wanted) === 0;
      }) || options.find(function (o) {
        return !o.querySelector('input[disabled]') && fold(o.textContent).indexOf(wanted) >= 0;
      });
      if (match) { match.click(); return; }
      waited += 100;
      if (waited < 6000) { setTimeout(attempt, 100); }  // the suggestions of a busy server may take a while
    })();
  }
  function inBox(el) { return el && el.closest && (el.closest(BOX) || el.closest('.dash-dropdown-content')); }
  function boxIsNear() { return !!document.querySelector(BOX); }

  document.addEventListener('keydown', function (e) {
    if (!boxIsNear()) { return; }
    var el = document.activeElement;
    var trigger = el && el.closest && el.closest(BOX);
    var content = el && el.closest && el.closest('.dash-dropdown-content');
    var input = searchField();
    if (printable(e) && (trigger || (content && el !== input) || flushing)) {
      // Keep the key; open the list if needed; put the keys, in order, in its search field.
      e.preventDefault();
      e.stopPropagation();
      taken[e.code || e.key] = true;
      buffer += e.key;
      if (!flushing) {
        flushing = true;
        replace = !!(trigger && !input);
        if (replace) { trigger.click(); }
        flush(0);
      }
      return;
    }
    if (e.key === 'Enter' && flushing) {
      e.preventDefault();
      e.stopPropagation();
      taken[e.code || e.key] = true;
      enterPending = true;
      return;
    }
    if (e.key === 'Enter' && input && el === input && input.value.trim()) {
      e.preventDefault();
      e.stopPropagation();
      taken[e.code || e.key] = true;
      pick(input.value);
    }
  }, true);
  document.addEventListener('keyup', function (e) {
    var code = e.code || e.key;
    if (taken[code]) {
      delete taken[code];
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);
})();
