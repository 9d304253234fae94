/* "Write" / "Preview" beside Markdown fields. The preview comes from the server (POST /positions/preview,
   same origin, with the form's CSRF token), rendered and sanitized by the code that renders the position
   page: no Markdown library here that could disagree with it. Without JavaScript the buttons stay hidden
   and the field works as before. */
(function () {
  "use strict";

  function setMode(tabs, textarea, panel, mode) {
    tabs.querySelectorAll("button[data-preview-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.previewMode === mode));
    });
    textarea.hidden = mode === "preview";
    panel.hidden = mode !== "preview";
  }

  function showPreview(tabs, textarea, panel) {
    var form = textarea.form;
    var token = form && form.querySelector("input[name=csrf_token]");
    var body = new FormData();
    body.append("text", textarea.value);
    if (token) { body.append("csrf_token", token.value); }
    panel.textContent = tabs.dataset.loading || "…";
    setMode(tabs, textarea, panel, "preview");
    fetch(tabs.dataset.previewUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {}
    }).then(function (response) {
      return response.text().then(function (html) {
        if (!response.ok && response.headers.get("Content-Type").indexOf("text/html") !== 0) {
          throw new Error(html);
        }
        panel.innerHTML = html;  // sanitized by the server (nh3), like the position page
      });
    }).catch(function () {
      panel.textContent = tabs.dataset.failed || "";
    });
  }

  document.querySelectorAll("[data-preview-for]").forEach(function (tabs) {
    var textarea = document.getElementById(tabs.dataset.previewFor);
    var panel = document.getElementById(tabs.dataset.previewFor + "-preview");
    if (!textarea || !panel || !window.fetch) { return; }
    // After the field (the keyboard reaches the text first), the preview in the field's place.
    textarea.parentNode.insertBefore(panel, textarea.nextSibling);
    textarea.parentNode.insertBefore(tabs, panel.nextSibling);
    tabs.hidden = false;
    tabs.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-preview-mode]");
      if (!button) { return; }
      if (button.dataset.previewMode === "preview") {
        showPreview(tabs, textarea, panel);
      } else {
        setMode(tabs, textarea, panel, "write");
        textarea.focus();
      }
    });
  });
}());
