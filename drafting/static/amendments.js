/* "Propose an amendment" in the position form, without reloading the page: a new fieldset is cloned from
   the page's <template> and the focus moves to its first field. In an anchored fieldset, choosing a
   paragraph shows its text in the read-only "Current text" and copies it into an empty "Proposed text";
   a filter finds a paragraph by its number or by words in it; "Proposed text" is hidden for a deletion.
   Without JavaScript the button posts the form and the server adds the fieldset, with everything typed
   kept. The paragraphs' texts come from a JSON block of the page (no inline script: strict CSP). */
(function () {
  "use strict";

  var data = document.getElementById("amendment-paragraphs");
  var texts = {};
  try { texts = data ? JSON.parse(data.textContent) : {}; } catch (error) { texts = {}; }

  function compact(value) {
    return (value || "").toLowerCase().replace(/\s+/g, "");
  }

  function words(value) {
    return (value || "").toLowerCase().split(/[^\w\u00C0-\uFFFF'’-]+/).filter(Boolean);
  }

  // "16", "16(a)", "16 (a)": a number; anything else: words that must all be in the paragraph.
  function matches(entry, query) {
    if (!entry) { return false; }
    if (/^\d/.test(query.trim())) {
      return compact(entry.number).indexOf(compact(query)) === 0;
    }
    var haystack = (entry.number + " " + entry.text).toLowerCase();
    return words(query).every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function fieldOf(control) {
    return control.closest(".field") || control;
  }

  function setUp(fieldset) {
    var select = fieldset.querySelector("select[data-paragraph]");
    if (!select || select.dataset.ready) { return; }
    select.dataset.ready = "1";
    var current = fieldset.querySelector("[data-current-text]");
    var proposed = fieldset.querySelector("[data-proposed-text]");
    var kind = fieldset.querySelector("select[data-kind]");
    var filterField = fieldset.querySelector("[data-paragraph-filter-field]");
    var filter = fieldset.querySelector("[data-paragraph-filter]");
    var count = fieldset.querySelector("[data-paragraph-count]");

    function fill() {
      var entry = texts[select.value];
      var before = current ? current.value : "";
      if (current) { current.value = entry ? entry.text : ""; }
      // A proposal starts as a copy of the paragraph; an untouched copy follows a change of paragraph.
      if (proposed && entry && (!proposed.value || proposed.value === before)) {
        proposed.value = entry.text;
      }
    }

    function showKind() {
      if (kind && proposed) { fieldOf(proposed).hidden = kind.value === "delete"; }
    }

    select.addEventListener("change", fill);
    if (kind) { kind.addEventListener("change", showKind); }
    showKind();

    if (filter && filterField) {
      filterField.hidden = false;
      filter.addEventListener("input", function () {
        var query = filter.value.trim();
        var found = 0;
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          if (!texts[option.value]) { return; }
          var shown = !query || matches(texts[option.value], query);
          option.hidden = !shown;
          option.disabled = !shown;  // the keyboard's arrows skip what the filter hides
          if (shown) { found += 1; first = first || option; }
        });
        Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        if (count) {
          count.textContent = query ? (filter.dataset.count || "__count__").replace("__count__", String(found)) : "";
        }
        var chosen = select.options[select.selectedIndex];
        if (query && first && (!chosen || chosen.hidden || !texts[chosen.value])) {
          select.value = first.value;
          fill();
        }
      });
    }
  }

  function firstField(fieldset) {
    var candidates = fieldset.querySelectorAll("input:not([type=hidden]), select, textarea");
    for (var i = 0; i < candidates.length; i += 1) {
      if (!candidates[i].closest("[hidden]")) { return candidates[i]; }
    }
    return null;
  }

  document.querySelectorAll("[data-amendment]").forEach(setUp);

  var template = document.getElementById("amendment-template");
  var list = document.querySelector("[data-amendment-list]");
  var button = document.querySelector("[data-add-amendment]");
  if (!template || !list || !button || !("content" in template)) { return; }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var fieldsets = list.querySelectorAll("[data-amendment]");
    var next = 0;
    fieldsets.forEach(function (fieldset) {
      next = Math.max(next, parseInt(fieldset.dataset.index, 10) + 1 || 0);
    });
    var html = template.innerHTML.replace(/__index__/g, String(next))
      .replace(/__number__/g, String(fieldsets.length + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;  // the server's own markup, from this page's <template>
    var fieldset = holder.querySelector("[data-amendment]");
    list.appendChild(fieldset);
    var empty = document.querySelector("[data-no-amendments]");
    if (empty) { empty.hidden = true; }
    setUp(fieldset);
    var target = firstField(fieldset);
    if (target) { target.focus(); }
  });
}());
