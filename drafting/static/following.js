/* While the amendments are being re-anchored to a new revision, its notice keeps itself up to date, as
   the editions page does (progressive enhancement: without this script, reloading the page shows the
   same). Every few seconds it asks the server (GET [data-following-state], JSON, same origin) whether
   re-anchoring still runs; once done, the notice is replaced by the one the server rendered (its
   role="status" announces it), or the page is reloaded where its figures depend on it
   ([data-reload-when-done], the Uptake page). */
(function () {
  "use strict";

  if (!window.fetch) { return; }
  var EVERY = 4000;        // milliseconds between two looks while re-anchoring runs
  var AT_MOST = 60000;     // after failed requests, wait longer, up to this

  function follow(block) {
    var wait = EVERY;

    function look() {
      fetch(block.dataset.followingState, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (answer) {
          wait = EVERY;
          if (answer.running) { window.setTimeout(look, wait); return; }
          block.dataset.running = "no";
          if (block.hasAttribute("data-reload-when-done")) { window.location.reload(); return; }
          block.innerHTML = answer.html;  // rendered and escaped by the server's template, like the page
        })
        .catch(function () {
          wait = Math.min(wait * 2, AT_MOST);
          window.setTimeout(look, wait);
        });
    }

    window.setTimeout(look, wait);
  }

  document.querySelectorAll('[data-following-state][data-running="yes"]').forEach(follow);
}());
