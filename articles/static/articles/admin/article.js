/* Article admin: live Markdown preview of the body, and a preview of the chosen or uploaded cover image. */
"use strict";
(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpMarkdownPreview() {
    const preview = document.getElementById("markdown-preview");
    const body = document.getElementById("id_body_markdown");
    if (!preview || !body) { return; }
    const title = document.getElementById("id_title");
    let timer = null;
    let latest = 0;
    function refresh() {
      const request = ++latest;
      const data = new FormData();
      data.append("body", body.value);
      data.append("title", title ? title.value : "");
      fetch(preview.dataset.url, {
        method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()},
      })
        .then(function (response) { return response.json(); })
        .then(function (json) {
          // The server sanitised this HTML with the same allow-list the API uses.
          if (request === latest && typeof json.html === "string") { preview.innerHTML = json.html; }
        })
        .catch(function () { /* keep the last good preview */ });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
    body.addEventListener("input", schedule);
    if (title) { title.addEventListener("input", schedule); }
  }

  function setUpCoverPreview() {
    const img = document.getElementById("cover-preview");
    if (!img) { return; }
    function show(url) {
      img.src = url || "";
      img.hidden = !url;
    }
    const upload = document.getElementById("id_cover_upload");
    if (upload) {
      upload.addEventListener("change", function () {
        if (upload.files && upload.files[0]) { show(URL.createObjectURL(upload.files[0])); }
      });
    }
    const select = document.getElementById("id_cover_image");
    if (select && window.django && window.django.jQuery) {
      // The autocomplete widget (select2) announces changes through jQuery, not native events.
      window.django.jQuery(select).on("change", function () {
        const id = select.value;
        if (!id) { show(""); return; }
        fetch(img.dataset.url.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/"), {credentials: "same-origin"})
          .then(function (response) { return response.json(); })
          .then(function (json) { show(json.url); })
          .catch(function () { /* leave the preview as it was */ });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMarkdownPreview();
    setUpCoverPreview();
  });
})();
