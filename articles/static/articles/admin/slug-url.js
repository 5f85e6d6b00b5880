/* Article admin: under the slug, the URL readers will find the article at, live as slug, category and language change. */
"use strict";
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const holder = document.getElementById("slug-url-data");
    const slug = document.getElementById("id_slug");
    if (!holder || !slug) { return; }
    const data = JSON.parse(holder.textContent);
    const language = document.getElementById("id_language");
    const category = document.getElementById("id_category");
    const initialSlug = slug.value;
    const line = document.createElement("div");
    line.id = "slug-url";
    line.className = "help slug-url";
    line.setAttribute("aria-live", "polite");
    const warning = document.createElement("div");
    warning.id = "slug-warning";
    warning.className = "help slug-warning";
    warning.hidden = true;
    warning.textContent = "This article is published: a new slug changes its URL, and readers' links to " +
      data.current + " no longer lead to it.";
    slug.insertAdjacentElement("afterend", line);
    line.insertAdjacentElement("afterend", warning);

    function update() {
      const categorySlug = data.categories[category ? category.value : data.category_id] || "";
      const url = data.template
        .split("{slug}").join(encodeURIComponent(slug.value))
        .split("{language}").join(language ? language.value : "")
        .split("{category}").join(categorySlug);
      line.textContent = (data.configured ? "Frontend URL: " : "Readers' URL (no FRONTEND_ARTICLE_URL_TEMPLATE): ") + url;
      warning.hidden = !(data.public && slug.value !== initialSlug);
    }
    slug.addEventListener("input", update);
    if (language) { language.addEventListener("change", update); }
    if (category) {
      category.addEventListener("change", update);
      // The autocomplete widget (select2) announces changes through jQuery, not native events.
      if (window.django && window.django.jQuery) { window.django.jQuery(category).on("change", update); }
    }
    update();
  });
})();
