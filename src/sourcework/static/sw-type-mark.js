// @ts-check
/**
 * sw-type-mark.js: the mark item type (press the phrases of a passage that do a job), scorer and widget parts;
 * registers with sw-core.js. Phrases are buttons with aria-pressed, so the keyboard and screen readers know them.
 */
(function (root) {
  "use strict";
  const { el, find, t } = root.SourceworkItems;
  /** @param {ParentNode} form */
  const spans = (form) => /** @type {HTMLElement[]} */ (Array.from(form.querySelectorAll(".sw-span")));
  root.SourceworkTypes.register("mark", {
    /** @param {any} item @param {unknown} r @param {any} points @param {any} S */
    score: (item, r, points, S) => S.selectLike(item, r, points, S.ids(item.spans), "phrase", "marked", "wrong mark"),
    fits: root.SourceworkScoring.isStrings,
    /** @param {HTMLFormElement} form */
    read(form) {
      const v = spans(form).filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.swSpan || "");
      return v.length ? v : null;
    },
    /** @param {HTMLFormElement} form @param {string[]} r */
    write(form, r) {
      for (const b of spans(form)) b.setAttribute("aria-pressed", String(r.includes(b.dataset.swSpan || "")));
    },
    /** @param {any} d @param {string[]} r @param {any} _ @param {string[]} _lines @param {Function} chose */
    explain: (d, r, _, _lines, chose) => r.forEach((id) => chose(find(d.spans, id), t("feedback.you_marked"))),
    /** @param {any} d @param {HTMLFormElement} form */
    show(d, form) {
      for (const id of d.key || []) {
        const button = form.querySelector(`.sw-span[data-sw-span="${CSS.escape(id)}"]`);
        if (button) button.after(el("span", "sw-key-mark sw-shown", " " + t("mark.correct_short")));
      }
    },
    /** Press or release a phrase. @param {any} widget @param {HTMLButtonElement} button */
    click(widget, button) {
      if (!button.classList.contains("sw-span")) return false;
      button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
      widget.persist();
      return true;
    },
    marks: true,
  });
})(/** @type {any} */ (globalThis));
