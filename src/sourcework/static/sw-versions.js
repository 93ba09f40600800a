// @ts-check
/**
 * sw-versions.js: the version switch of a Source-reader page with adapted versions (div.sw-versions, written by
 * sphinx_ext/adapted.py). Without scripts every version shows, original first, and the theme hides the switch
 * (pst-js-only).
 *
 * The switch is a radio group (Original / Adapted (English) / Adaptado (español)): arrow keys move and choose, as in
 * any radio group. The choice is kept in localStorage ("sourcework:version") and applies on every source page, so a
 * link from a chapter or an item opens a source page in the version the reader chose last. On a wide screen
 * (sw-adapted.css, ≥ 1200 px) an adapted version stands beside the original; on a narrow one only the chosen version
 * shows. A link to an original paragraph (#source-b-p4, what {para}, {sq} and the adapted paragraphs' "from ¶4"
 * links point at) always shows the original: the original is shown too, and the paragraph scrolled into view.
 */
(function (root) {
  "use strict";

  const STORE = "sourcework:version";
  /** @returns {string} */
  function stored() {
    try {
      return root.localStorage.getItem(STORE) || "original";
    } catch (_) {
      return "original";
    }
  }

  /** @param {HTMLElement} box @param {string} view */
  function show(box, view) {
    const radios = /** @type {HTMLInputElement[]} */ (Array.from(box.querySelectorAll(".sw-version-switch input")));
    const chosen = radios.find((r) => r.value === view) || radios[0];
    if (!chosen) return;
    chosen.checked = true;
    box.dataset.swView = chosen.value;
  }

  /** Show the original when the address names one of its paragraphs (or anything inside it). */
  function followHash() {
    let target = null;
    try {
      target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    } catch (_) { /* a malformed address: nothing to follow */ }
    for (const box of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-versions.sw-js"))) {
      const inOriginal = !!target && !!target.closest(".sw-version-original") && box.contains(target);
      if (inOriginal && box.dataset.swView !== "original") box.dataset.swAnchor = "original";
      else delete box.dataset.swAnchor;
    }
    if (target && target.closest(".sw-versions")) target.scrollIntoView();
  }

  function boot() {
    const boxes = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-versions"));
    if (!boxes.length) return;
    for (const box of boxes) {
      const choice = /** @type {HTMLElement | null} */ (box.querySelector(".sw-version-switch"));
      if (!choice) continue;
      box.classList.add("sw-js");
      show(box, stored());
      choice.addEventListener("change", (event) => {
        const value = /** @type {HTMLInputElement} */ (event.target).value;
        try {
          root.localStorage.setItem(STORE, value);
        } catch (_) { /* not remembered; still shown */ }
        delete box.dataset.swAnchor;
        show(box, value);
      });
    }
    followHash();
    root.addEventListener("hashchange", followHash);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
