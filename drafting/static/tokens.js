/* The tokens page (accounts/tokens.html), progressive enhancement:
   - "Copy the token" beside a secret shown once. Without JavaScript the button stays hidden and the token
     is selected by hand from its read-only field. A <button>: Enter and Space work.
   - The "Last day of use" field is shown only when "Until a date I choose" is the lifetime (without
     JavaScript, or when it holds an error, it is always shown). */
(function () {
  "use strict";

  function say(button, text) {
    var status = button.closest("section").querySelector("[data-copy-status]");
    if (status) { status.textContent = text; }
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(button, button.getAttribute("data-copied")); };
      var failed = function () {
        if (copyBySelection(field)) { done(); } else { say(button, button.getAttribute("data-copy-failed")); }
        button.focus();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        failed();
      }
    });
  });

  var lifetime = document.getElementById("lifetime");
  var day = document.getElementById("expires_on");
  var dayField = day && day.closest(".field");
  if (lifetime && dayField && !dayField.classList.contains("has-error")) {
    var follow = function () { dayField.hidden = lifetime.value !== "date"; };
    lifetime.addEventListener("change", follow);
    follow();
  }

  /* Clicking the read-only field selects the whole token. */
  document.querySelectorAll("input.secret").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
}());
