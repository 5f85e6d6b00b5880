/* Article admin: live preview, word count, unsaved-changes warning, Ctrl/Cmd+S, the image picker, cover preview. */
"use strict";
(function () {
  const WORDS_PER_MINUTE = 230;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function articleForm() {
    return document.getElementById("article_form");
  }

  function setUpMarkdownPreview() {
    const preview = document.getElementById("markdown-preview");
    const body = document.getElementById("id_body_markdown");
    if (!preview || !body) { return; }
    const target = document.getElementById("preview-body") || preview;
    const title = document.getElementById("id_title");
    const description = document.getElementById("id_description");
    const headline = document.getElementById("preview-headline");
    const standfirst = document.getElementById("preview-standfirst");
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
          if (request === latest && typeof json.html === "string") { target.innerHTML = json.html; }
        })
        .catch(function () { /* keep the last good preview */ });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
    body.addEventListener("input", schedule);
    if (title) {
      title.addEventListener("input", function () {
        if (headline) { headline.textContent = title.value; }
        schedule();
      });
    }
    if (description && standfirst) {
      description.addEventListener("input", function () { standfirst.textContent = description.value; });
    }
  }

  function setUpWordCount() {
    const body = document.getElementById("id_body_markdown");
    if (!body) { return; }
    const counter = document.createElement("div");
    counter.id = "body-stats";
    counter.className = "help body-stats";
    counter.setAttribute("aria-live", "polite");
    body.insertAdjacentElement("afterend", counter);
    function update() {
      // Markdown syntax and image lines are not words a reader reads.
      const text = body.value.replace(/!\[[^\]]*\]\([^)]*\)/g, " ").replace(/[#*_>`[\]()-]+/g, " ");
      const words = (text.match(/\S+/g) || []).length;
      const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
      counter.textContent = words + (words === 1 ? " word" : " words") + " · " + minutes + " min read";
    }
    body.addEventListener("input", update);
    update();
  }

  function setUpUnsavedWarning() {
    const form = articleForm();
    if (!form) { return; }
    let dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own wording only when this is set
    });
  }

  function setUpSaveShortcut() {
    const form = articleForm();
    const button = form && form.querySelector("input[name=_continue], button[name=_continue]");
    if (!button) { return; }
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        form.requestSubmit(button);
      }
    });
  }

  function imageMarkdown(image) {
    const alt = (image.alt || "").replace(/[[\]]/g, "");
    const note = [image.caption, image.credit].filter(Boolean).join(" ").replace(/\s+/g, " ").trim();
    return "![" + alt + "](" + image.url + ")\n\n" + (note ? note + "\n\n" : "");
  }

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart, end = textarea.selectionEnd;
    const before = textarea.value.slice(0, start);
    // An image is a paragraph of its own: open one unless the cursor already starts a line after a blank one.
    const gap = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    textarea.setRangeText(gap + text, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function setUpImagePicker() {
    const body = document.getElementById("id_body_markdown");
    const preview = document.getElementById("markdown-preview");
    if (!body || !preview || !preview.dataset.imagesUrl) { return; }
    const toolbar = document.createElement("div");
    toolbar.className = "body-toolbar";
    const open = document.createElement("button");
    open.type = "button";
    open.className = "button insert-image";
    open.textContent = "Insert image";
    open.setAttribute("aria-expanded", "false");
    toolbar.appendChild(open);
    const panel = document.createElement("div");
    panel.className = "image-picker";
    panel.id = "image-picker";
    panel.hidden = true;
    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Search the library (alt text, caption, credit)";
    search.setAttribute("aria-label", "Search the media library");
    const grid = document.createElement("ul");
    grid.className = "image-picker-grid";
    panel.append(search, grid);
    body.insertAdjacentElement("beforebegin", toolbar);
    toolbar.insertAdjacentElement("afterend", panel);

    function show(images) {
      grid.replaceChildren();
      if (!images.length) {
        const none = document.createElement("li");
        none.className = "image-picker-empty";
        none.textContent = "No stored images match.";
        grid.appendChild(none);
      }
      images.forEach(function (image) {
        const item = document.createElement("li");
        const choose = document.createElement("button");
        choose.type = "button";
        choose.className = "image-picker-choice";
        choose.dataset.imageId = image.id;
        choose.title = [image.alt, image.caption, image.credit].filter(Boolean).join(" · ");
        const img = document.createElement("img");
        img.src = image.thumb;
        img.alt = image.alt || "";
        img.loading = "lazy";
        const label = document.createElement("span");
        label.textContent = image.alt || image.caption || ("Image " + image.id);
        choose.append(img, label);
        choose.addEventListener("click", function () {
          insertAtCursor(body, imageMarkdown(image));
          panel.hidden = true;
          open.setAttribute("aria-expanded", "false");
        });
        item.appendChild(choose);
        grid.appendChild(item);
      });
    }
    let timer = null;
    function load() {
      const url = preview.dataset.imagesUrl + "?q=" + encodeURIComponent(search.value);
      fetch(url, {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (json) { show(json.images || []); })
        .catch(function () { show([]); });
    }
    open.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      open.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) { load(); search.focus(); }
    });
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    // Enter in the search box searches; it must not submit the article form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); load(); }
    });
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
    setUpWordCount();
    setUpImagePicker();
    setUpUnsavedWarning();
    setUpSaveShortcut();
    setUpCoverPreview();
  });
})();
