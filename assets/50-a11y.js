/* Accessibility repairs for Dash 4.4's core components (checked by axe-core in
   tests/browser/test_accessibility.py). Remove a repair when Dash's own markup no longer needs it.

   1. dcc.Checklist and dcc.RadioItems render native checkboxes/radios inside <label role="option">
      inside <div role="listbox">: an interactive control nested in another, and a listbox without a
      name. The native inputs already say everything (their label is the wrapping <label>), so the
      container becomes a plain group and the labels lose their option role.
   2. dcc.Dropdown puts an invisible, aria-hidden <input> in the Tab order that forwards focus to the
      real button (tabindex -1). A keyboard user should land on the button itself, which has the
      dropdown's name: the button takes the Tab stop and the hidden proxy leaves the Tab order.
   3. dcc.RangeSlider's two number boxes (typing an age directly) have no label: they get the slider's
      own label followed by "minimum" / "maximum" (the same words in French and English).
   4. dcc.Clipboard is a <div> a keyboard cannot reach: our copy buttons (.copy-button) become buttons
      in the Tab order, named by their title, pressed by Enter or Space. */
(function () {
  function repair(root) {
    var lists = '.dash-options-list.dash-checklist, .dash-options-list.dash-radioitems';
    root.querySelectorAll(lists).forEach(function (list) {
      if (list.getAttribute('role') === 'listbox') { list.setAttribute('role', 'group'); }
    });
    root.querySelectorAll('.dash-checklist > [role="option"], .dash-radioitems > [role="option"]').forEach(function (opt) {
      opt.removeAttribute('role');
      opt.removeAttribute('aria-selected');
    });
    root.querySelectorAll('.dash-dropdown-wrapper').forEach(function (wrap) {
      var proxy = wrap.querySelector(':scope > .dash-dropdown-focus-target');
      var button = wrap.querySelector(':scope > button.dash-dropdown');
      if (!proxy || !button) { return; }
      if (proxy.tabIndex !== -1) { proxy.tabIndex = -1; }
      if (!button.disabled && button.tabIndex !== 0) { button.tabIndex = 0; }
    });
    root.querySelectorAll('.copy-button').forEach(function (button) {
      if (button.tagName === 'BUTTON') { return; }
      if (button.getAttribute('tabindex') !== '0') { button.setAttribute('tabindex', '0'); }
      if (button.getAttribute('role') !== 'button') { button.setAttribute('role', 'button'); }
      var name = button.getAttribute('title') || '';
      if (name && button.getAttribute('aria-label') !== name) { button.setAttribute('aria-label', name); }
    });
    root.querySelectorAll('.dash-slider-container[id]').forEach(function (box) {
      var label = document.querySelector('label[for="' + box.id + '"]');
      var name = label ? label.textContent.trim() : '';
      [['.dash-range-slider-min-input', 'minimum'], ['.dash-range-slider-max-input', 'maximum']].forEach(function (pair) {
        var input = box.querySelector(pair[0]);
        var wanted = (name ? name + ' — ' : '') + pair[1];
        if (input && input.getAttribute('aria-label') !== wanted) { input.setAttribute('aria-label', wanted); }
      });
    });
  }
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; repair(document); });
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if ((event.key === 'Enter' || event.key === ' ') && target && target.classList && target.classList.contains('copy-button') &&
        target.tagName !== 'BUTTON') {
      event.preventDefault();
      target.click();
    }
  });
  function start() {
    repair(document);
    new MutationObserver(schedule).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'tabindex']
    });
  }
  if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }
})();
