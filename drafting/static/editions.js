/* The editions page keeps itself up to date while an edition is "Preparing" (progressive enhancement:
   without this script, reloading the page shows the same). Every few seconds it asks the server for
   each edition's state (GET [data-edition-states], JSON, same origin) and replaces the "File" cell of
   each edition whose state changed with the cell the server rendered; the change is announced in the
   page's status region ([data-edition-announcer], role="status"). It stops once nothing is preparing. */
(function () {
  "use strict";

  var table = document.querySelector("[data-edition-states]");
  var announcer = document.querySelector("[data-edition-announcer]");
  if (!table || !window.fetch) { return; }

  var EVERY = 4000;        // milliseconds between two looks while an edition is preparing
  var AT_MOST = 60000;     // after failed requests, wait longer, up to this
  var wait = EVERY;

  function cells() {
    return table.querySelectorAll("[data-edition-state]");
  }

  function preparing() {
    return Array.prototype.some.call(cells(), function (cell) { return cell.dataset.state === "preparing"; });
  }

  function update(editions) {
    var changed = [];
    editions.forEach(function (edition) {
      var cell = table.querySelector('[data-edition-state="' + String(Number(edition.id)) + '"]');
      if (!cell || cell.dataset.state === edition.state) { return; }
      cell.innerHTML = edition.html;  // rendered and escaped by the server's template, like the page
      cell.dataset.state = edition.state;
      changed.push(edition.status);
    });
    if (changed.length && announcer) { announcer.textContent = changed.join(" "); }
  }

  function look() {
    fetch(table.dataset.editionStates, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        update(answer.editions || []);
        wait = EVERY;
        schedule();
      })
      .catch(function () {
        wait = Math.min(wait * 2, AT_MOST);
        schedule();
      });
  }

  function schedule() {
    if (preparing()) { window.setTimeout(look, wait); }
  }

  schedule();
}());
