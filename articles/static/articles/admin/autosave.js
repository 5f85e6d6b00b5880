/* Article admin: every few seconds while the words change, keep a draft of them on the server (an autosave revision). */
"use strict";
(function () {
  const FIELDS = ["title", "description", "body_markdown"];

  document.addEventListener("DOMContentLoaded", function () {
    const status = document.getElementById("autosave");
    const form = document.getElementById("article_form");
    if (!status || !form) { return; }
    const base = form.querySelector("input[name=base_version]");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!base || !csrf) { return; }
    let changed = false;
    let stopped = false;
    FIELDS.forEach(function (name) {
      const field = document.getElementById("id_" + name);
      if (field) { field.addEventListener("input", function () { changed = true; }); }
    });

    function save() {
      if (!changed || stopped) { return; }
      changed = false;
      const data = new FormData();
      data.append("base_version", base.value);
      FIELDS.forEach(function (name) {
        const field = document.getElementById("id_" + name);
        if (field) { data.append(name, field.value); }
      });
      fetch(status.dataset.url, {
        method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": csrf.value},
      })
        .then(function (response) {
          return response.json().then(function (json) { return {ok: response.ok, json: json}; });
        })
        .then(function (answer) {
          if (answer.ok) {
            status.textContent = "Draft kept at " + answer.json.kept_at + " (not saved to the article).";
            status.dataset.state = "kept";
          } else {
            // Someone else saved a newer version: stop, so no draft of older words is kept over theirs.
            stopped = answer.json.version !== undefined;
            status.textContent = answer.json.error || "Not autosaved.";
            status.dataset.state = "refused";
            if (!stopped) { changed = true; }
          }
        })
        .catch(function () { changed = true; /* offline: try again at the next tick */ });
    }
    setInterval(save, Math.max(1, Number(status.dataset.seconds)) * 1000);
  });
})();
