// @ts-check
/**
 * sw-versions.js: the version switch of a Source-reader page with adapted versions (div.sw-versions, written by
 * sphinx_ext/adapted.py). Without scripts every version shows, original first, and the theme hides the switch
 * (pst-js-only).
 *
 * The switch is a radio group (Original / Adapted (English) / Adaptado (español)): arrow keys move and choose, as in
 * any radio group. The choice is kept in localStorage ("sourcework:version") and applies on every source page, so a
 * link from a chapter or an item opens a source page in the version the reader chose last. That version is checked
 * and shown (class sw-js, data-sw-view) by a few lines the build writes into the page right after the switch
 * (sphinx_ext/adapted.py, EARLY_VIEW), which run as the page is read, before the versions are drawn, so nothing
 * changes under the reader when this deferred script starts; this file handles a later change and the links. On a
 * wide screen (sw-adapted.css, ≥ 1200 px) an adapted version stands beside the original; on a narrow one only the
 * chosen version shows. A link to an original paragraph (#source-b-p4, what {para}, {sq} and the adapted
 * paragraphs' "from ¶4" links point at) always shows the original: the original is shown too, and the paragraph
 * scrolled into view.
 */
(function (root) {
  "use strict";

  const STORE = "sourcework:version";

  /**
   * Show the original when the address names one of its paragraphs (or anything inside it), and bring the target
   * into view when the reader followed a link on the page (at start-up the browser has scrolled to it already: the
   * page's own lines showed the original before it was drawn, and a reader who has scrolled on stays there).
   * @param {boolean} [scroll]
   */
  function followHash(scroll = true) {
    let target = null;
    try {
      target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    } catch (_) { /* a malformed address: nothing to follow */ }
    for (const box of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-versions.sw-js"))) {
      const inOriginal = !!target && !!target.closest(".sw-version-original") && box.contains(target);
      if (inOriginal && box.dataset.swView !== "original") box.dataset.swAnchor = "original";
      else delete box.dataset.swAnchor;
    }
    if (scroll && target && target.closest(".sw-versions")) target.scrollIntoView();
  }

  function boot() {
    const boxes = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-versions"));
    if (!boxes.length) return;
    for (const box of boxes) {
      const choice = /** @type {HTMLElement | null} */ (box.querySelector(".sw-version-switch"));
      if (!choice) continue;
      choice.addEventListener("change", (event) => {
        const value = /** @type {HTMLInputElement} */ (event.target).value;
        try {
          root.localStorage.setItem(STORE, value);
        } catch (_) { /* not remembered; still shown */ }
        delete box.dataset.swAnchor;
        box.dataset.swView = value;
        box.classList.add("sw-js"); // already there, unless the page's own script was kept from running
      });
    }
    followHash(false);
    root.addEventListener("hashchange", () => followHash());
    // A link to the address the page already has (a "from ¶4" link followed twice, with another version chosen in
    // between) changes no hash, so no "hashchange": follow it here.
    document.addEventListener("click", (event) => {
      const target = /** @type {Element} */ (event.target);
      const link = /** @type {HTMLAnchorElement | null} */ (target.closest?.("a[href^='#']"));
      if (link && link.hash && link.hash === location.hash) followHash();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
