/* Nothing typed is lost by a click or a crash (progressive enhancement; the forms work without it).

   1. A form with unsaved changes asks before the page is left (beforeunload).
   2. The position form (form[data-draft-key]) keeps what is typed in localStorage, under a key naming the
      position and the revision the edit started from, and brings it back after a crash, a closed tab or a
      lost connection, until it is saved. A position's page clears the drafts its revision made obsolete. */
(function () {
  "use strict";

  var PREFIX = "drafting:";
  var storage = null;
  try { storage = window.localStorage; } catch (error) { storage = null; }

  // 1. Unsaved changes -------------------------------------------------------------------------------
  var dirty = false;
  document.querySelectorAll("form[method=post]:not([data-no-unsaved-warning])").forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";  // browsers show their own wording
    }
  });

  if (!storage) { return; }

  function read(key) {
    try { return JSON.parse(storage.getItem(PREFIX + key)); } catch (error) { return null; }
  }

  // 2b. A saved position clears the drafts of its earlier revisions (and a new one's, once created).
  var saved = document.querySelector("[data-draft-saved]");
  if (saved) {
    var position = saved.dataset.draftSaved;
    var revision = parseInt(saved.dataset.draftRevision, 10);
    for (var i = storage.length - 1; i >= 0; i -= 1) {
      var name = storage.key(i);
      if (name && name.indexOf(PREFIX + position + ":") === 0) {
        var number = parseInt(name.slice((PREFIX + position + ":").length), 10);
        if (number < revision) { storage.removeItem(name); }
      }
    }
    var fresh = read("position:new:0");
    if (fresh && fresh.submitted && revision === 1) { storage.removeItem(PREFIX + "position:new:0"); }
  }

  // 2a. The position form's local draft.
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = form.dataset.draftKey;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrf_token" &&
        ["hidden", "submit", "button", "file", "reset", "password"].indexOf(element.type) < 0;
    });
  }

  function values() {
    var result = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        result[element.name] = result[element.name] || [];
        if (element.checked) { result[element.name].push(element.value); }
      } else {
        result[element.name] = element.value;
      }
    });
    return result;
  }

  function apply(stored) {
    fields().forEach(function (element) {
      if (!(element.name in stored)) { return; }
      var value = stored[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) >= 0;
      } else {
        element.value = value;
      }
    });
  }

  var original = values();
  var draft = read(key);
  if (draft && draft.values && JSON.stringify(draft.values) !== JSON.stringify(original)) {
    apply(draft.values);
    dirty = true;  // restored but not saved: leaving still asks
    var notice = form.querySelector("[data-draft-notice]");
    if (notice) {
      notice.hidden = false;
      var discard = notice.querySelector("[data-draft-discard]");
      if (discard) {
        discard.addEventListener("click", function () {
          apply(original);
          storage.removeItem(PREFIX + key);
          notice.hidden = true;
          dirty = false;
        });
      }
    }
  } else if (draft) {
    storage.removeItem(PREFIX + key);  // the page already holds it: nothing to restore
  }

  var timer = null;
  function keep(submitted) {
    try {
      storage.setItem(PREFIX + key, JSON.stringify({ values: values(), submitted: Boolean(submitted),
                                                     at: new Date().toISOString() }));
    } catch (error) { /* storage full or refused: the warning on leaving still protects the text */ }
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(keep, 300);
  });
  form.addEventListener("change", function () { keep(false); });
  form.addEventListener("submit", function () { window.clearTimeout(timer); keep(true); });
}());
