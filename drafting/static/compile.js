/* The compile form: the fields of one kind of edition only. Each block marked data-edition-kind shows
   when one of the kinds it lists (separated by spaces) is chosen. Without JavaScript every field shows, and those of the other kind are
   ignored when compiling. */
(function () {
  "use strict";

  function update(form) {
    var chosen = form.querySelector("input[name=kind]:checked");
    var kind = chosen ? chosen.value : "consolidated";
    form.querySelectorAll("[data-edition-kind]").forEach(function (block) {
      block.hidden = block.dataset.editionKind.split(" ").indexOf(kind) === -1;
    });
  }

  /* The suggested title follows the document language; a title the secretariat wrote stays. */
  function followLanguage(form) {
    var title = form.querySelector("[data-default-titles]");
    var language = form.querySelector("select[name=language]");
    if (!title || !language) { return; }
    var titles = JSON.parse(title.dataset.defaultTitles);
    var suggested = Object.keys(titles).map(function (code) { return titles[code]; });
    language.addEventListener("change", function () {
      if ((title.value.trim() === "" || suggested.indexOf(title.value) !== -1) && titles[language.value]) {
        title.value = titles[language.value];
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compile-form");
    if (!form) { return; }
    followLanguage(form);
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", function () { update(form); });
    });
    update(form);
  });
}());
