/* Where the focus is when a page opens (progressive enhancement; without it the focus starts at the top).

   In this order, the first that applies:
   1. The page shows a refused form: the first field in error (a `.has-error` block or an
      aria-invalid control), else the message that says what went wrong ([data-error-summary]).
   2. An action redirected here with a message (the flashes of base.html): the first message, so that
      a screen reader reads it and the next Tab goes on from there; but if the address names a place in
      the page (a comment added: #comments), that place, where the result of the action is shown.
   3. Something on the page asks for it ([data-focus-on-open]): the question of a confirmation page
      ("Withdraw this position?"), the preview of a loaded text.
   4. A form page ("New position", "Edit milestone", ... : form[data-focus-first-field]) opens: its first
      field, unless the browser has already put the focus somewhere (autofocus) or the address names a
      place in the page (#fragment).
   Pages with only a filter form or buttons are left alone: the focus starts at the top, as usual. */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function visible(element) {
    return Boolean(element && !element.hidden && element.getClientRects().length);
  }

  function firstField(container) {
    var candidates = container.querySelectorAll(FIELDS);
    for (var i = 0; i < candidates.length; i += 1) {
      if (visible(candidates[i])) { return candidates[i]; }
    }
    return null;
  }

  function focus(element) {
    if (!element) { return false; }
    if (!element.matches("a[href], button, " + FIELDS) && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  function fieldInError(main) {
    var marked = main.querySelectorAll(".has-error, [aria-invalid=true]");
    for (var i = 0; i < marked.length; i += 1) {
      var field = marked[i].matches(FIELDS) ? marked[i] : firstField(marked[i]);
      if (field && visible(field)) { return field; }
    }
    return null;
  }

  function namedPlace(main) {
    var id = window.location.hash.slice(1);
    if (!id) { return null; }
    try { id = decodeURIComponent(id); } catch (error) { return null; }
    var target = document.getElementById(id);
    return target && main.contains(target) && visible(target) ? target : null;
  }

  function somethingAlreadyFocused() {
    return document.activeElement && document.activeElement !== document.body;
  }

  var main = document.getElementById("main") || document.body;
  if (focus(fieldInError(main))) { return; }
  if (focus(main.querySelector("[data-error-summary]"))) { return; }
  var flash = main.querySelector("[data-flash]");
  if (flash && focus(namedPlace(main) || flash)) { return; }
  if (focus(main.querySelector("[data-focus-on-open]"))) { return; }

  var form = main.querySelector("form[data-focus-first-field]");
  if (form && !somethingAlreadyFocused() && !window.location.hash) {
    focus(firstField(form));
  }
}());
