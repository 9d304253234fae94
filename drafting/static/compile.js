/* The compile form: the fields of one kind of edition only. Each block marked data-edition-kind shows
   when that kind is chosen. Without JavaScript every field shows, and those of the other kind are
   ignored when compiling. */
(function () {
  "use strict";

  function update(form) {
    var chosen = form.querySelector("input[name=kind]:checked");
    var kind = chosen ? chosen.value : "consolidated";
    form.querySelectorAll("[data-edition-kind]").forEach(function (block) {
      block.hidden = block.dataset.editionKind !== kind;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compile-form");
    if (!form) { return; }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", function () { update(form); });
    });
    update(form);
  });
}());
