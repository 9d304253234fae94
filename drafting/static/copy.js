/* "Copy the token" beside a secret shown once (accounts/tokens.html). Without JavaScript the button stays
   hidden and the token is selected by hand from its read-only field. A <button>: Enter and Space work. */
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

  /* Clicking the read-only field selects the whole token. */
  document.querySelectorAll("input.secret").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
}());
