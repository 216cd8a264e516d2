// Filters, tabs and the article highlights. The page works without this script (every
// finding and article is in the markup); it only reads data-* attributes and toggles
// `hidden`, never builds markup from text.
(function () {
  "use strict";
  var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var byId = function (id) { return document.getElementById(id); };

  var tabs = all('[role="tab"]');
  function showView(id, focusTab) {
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("aria-controls") === id;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      byId(tab.getAttribute("aria-controls")).hidden = !on;
      if (on && focusTab) tab.focus();
    });
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { showView(tab.getAttribute("aria-controls")); });
    tab.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      var next = tabs[(i + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      showView(next.getAttribute("aria-controls"), true);
    });
  });

  var form = byId("filters");
  var cards = all(".card");
  var search = cards.map(function (card) { return card.textContent.toLowerCase(); });
  function checked(name) {
    return all('input[name="' + name + '"]', form).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function applyFilters() {
    var severities = checked("severity"), codes = checked("code");
    var article = form.elements.article.value;
    var words = form.elements.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, i) {
      var ok = severities.indexOf(card.dataset.severity) >= 0 && codes.indexOf(card.dataset.code) >= 0 &&
        (!article || card.dataset.paths.split("\n").indexOf(article) >= 0) &&
        words.every(function (w) { return search[i].indexOf(w) >= 0; });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    all(".group").forEach(function (group) { group.hidden = !group.querySelector(".card:not([hidden])"); });
    all(".article").forEach(function (a) { a.hidden = Boolean(article) && a.dataset.path !== article; });
    byId("shown").textContent = shown === cards.length ? "Showing all " + cards.length + " findings" : "Showing " + shown + " of " + cards.length + " findings";
    byId("tab-count").textContent = shown === cards.length ? String(cards.length) : shown + "/" + cards.length;
  }
  form.addEventListener("input", applyFilters);
  form.addEventListener("search", applyFilters, true);  // the search field's own clear button
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });

  all("button.hl").forEach(function (mark) {
    mark.addEventListener("click", function () {
      var detail = byId(mark.getAttribute("aria-controls"));
      var open = detail.hidden;
      detail.hidden = !open;
      mark.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });

  // Links between the views (#f-… cards, #s-… sentences) switch to the view holding the target.
  function reveal() {
    var target = location.hash ? byId(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target) return;
    var view = target.closest('[role="tabpanel"]');
    if (view && view.hidden) showView(view.id);
    if (target.closest("[hidden]")) { form.reset(); applyFilters(); }
    target.classList.remove("flash");
    void target.offsetWidth;  // restart the highlight animation on a repeated jump
    target.classList.add("flash");
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
