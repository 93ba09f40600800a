// @ts-check
/**
 * sw-progress.js: the "My progress" page (`div.sw-progress` from sourcework.core.render.render_progress_page).
 *
 * Fills the table of every exercise set (written by the build as it is for a reader with no saved answers, so the
 * page does not move) from the answers saved in this browser: how many questions are answered and,
 * in the practice edition, the points of the answers last checked (the scores are those saved by Check, so this page
 * needs no keys). Offers Clear my progress, after a confirmation. Wires itself when sw-main.js is ready
 * (`sourcework:ready`), and redraws the table when answers are loaded from a file.
 */
(function (root) {
  "use strict";

  /**
   * @typedef {{id: string, title: string, url: string, possible: string, items: string[]}} SetInfo
   * @typedef {{settings: {edition: string}, storage: any}} Context
   */

  /** @param {string} tag @param {string} [text] */
  function el(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** @param {HTMLElement} container */
  function readSets(container) {
    try {
      const sets = JSON.parse(container.dataset.swSets || "[]");
      return Array.isArray(sets) ? /** @type {SetInfo[]} */ (sets) : [];
    } catch (_) {
      return [];
    }
  }

  /**
   * (Re)build the table from storage.
   * @param {HTMLElement} container @param {Context} ctx
   */
  function render(container, ctx) {
    const t = root.SourceworkI18n.t;
    const records = ctx.storage.all();
    const scored = ctx.settings.edition !== "assessment";
    const table = el("table");
    table.className = "sw-progress-grid";
    table.append(el("caption", t("progress.caption")));
    const head = el("tr");
    for (const key of ["progress.set", "progress.answered", ...(scored ? ["progress.points"] : [])]) {
      const th = el("th", t(key));
      th.setAttribute("scope", "col");
      head.append(th);
    }
    const body = el("tbody");
    for (const set of readSets(container)) {
      const items = Array.isArray(set.items) ? set.items : [];
      const answered = items.filter((id) => records[id]);
      const checked = answered.map((id) => records[id].score).filter((s) => s && typeof s.earned === "string");
      const row = el("tr");
      const name = el("th");
      name.setAttribute("scope", "row");
      const link = /** @type {HTMLAnchorElement} */ (el("a", set.title));
      link.href = set.url;
      name.append(link);
      row.append(name, el("td", t("progress.answered_count", { answered: answered.length, count: items.length })));
      if (scored) {
        const { Frac, ZERO } = root.SourceworkScoring;
        const total = checked.reduce((/** @type {any} */ t, s) => t.add(Frac.from(s.earned) || ZERO), ZERO);
        const text = !checked.length ? t("progress.nothing_checked")
          : t("progress.points_checked", { points: root.SourceworkItems.pointsText(total, String(set.possible)),
            checked: checked.length });
        row.append(el("td", text));
      }
      body.append(row);
    }
    const thead = el("thead");
    thead.append(head);
    table.append(thead, body);
    root.SourceworkI18n.mark(table);
    const slot = /** @type {HTMLElement} */ (container.querySelector(".sw-progress-table"));
    slot.replaceChildren(table);
  }

  /**
   * Wire the progress page: table, Clear my progress (confirmed).
   * @param {HTMLElement} container @param {Context} ctx
   */
  function wire(container, ctx) {
    render(container, ctx);
    const status = /** @type {HTMLElement} */ (container.querySelector(".sw-transfer-status"));
    const clear = container.querySelector('button[data-sw-action="clear"]');
    const t = root.SourceworkI18n.t;
    clear?.addEventListener("click", () => {
      const sure = root.confirm(t("progress.confirm_clear"));
      if (!sure) {
        status.textContent = t("progress.not_cleared");
        return;
      }
      ctx.storage.clear();
      render(container, ctx);
      status.textContent = t("progress.cleared");
    });
    // A language switch redraws the table in the new language.
    document.addEventListener("sourcework:lang", () => render(container, ctx));
  }

  document.addEventListener("sourcework:ready", () => {
    const ctx = root.Sourcework.transfer; // sw-main.js's {settings, storage, onRestored, …}
    const boxes = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-progress"));
    const restored = ctx.onRestored;
    ctx.onRestored = () => {
      restored();
      for (const box of boxes) render(box, ctx);
    };
    for (const box of boxes) wire(box, ctx);
  });

})(/** @type {any} */ (globalThis));
