// @ts-check
/**
 * sw-type-grid.js: the grid item type (a column, or columns, per row: attribution, corroboration, classification),
 * scorer and widget parts; registers with sw-core.js.
 */
(function (root) {
  "use strict";
  const { checked, setChecked, quoted, t } = root.SourceworkItems;
  /** @param {ParentNode} form */
  const rows = (form) => /** @type {HTMLElement[]} */ (Array.from(form.querySelectorAll("tr[data-sw-row]")));

  /** @param {any} credit @param {any} S */
  function share(credit, S) {
    if (credit.cmp(S.ONE) === 0) return "all of the points";
    if (credit.cmp(S.ZERO) === 0) return "no points";
    return `${credit} of the points`;
  }

  root.SourceworkTypes.register("grid", {
    /** @param {any} item @param {unknown} response @param {any} points @param {any} S */
    score(item, response, points, S) {
      const list = Array.isArray(item.rows) ? item.rows : [];
      if (!list.length) return S.invalid(points, "This item has no rows; tell your teacher.");
      if (!S.isDict(response)) return S.invalid(points, 'Expected one column per row, e.g. {"row": "column"}.');
      const rowIds = S.ids(list);
      if (Object.keys(response).some((k) => !rowIds.has(k))) {
        return S.invalid(points, "The answer names a row that this item does not have.");
      }
      const columns = S.ids(item.columns);
      /** @type {Record<string, any>} */
      const credits = {};
      let answered = 0;
      for (const row of list) {
        let chosen = S.get(response, row.id);
        if (S.isBlank(chosen)) chosen = [];
        else if (typeof chosen === "string") chosen = [chosen];
        if (!S.isStrings(chosen)) {
          return S.invalid(points, `Expected a column id or a list of column ids for row "${row.id}".`);
        }
        const problem = S.checkIdList(chosen, columns, "column", "chosen");
        if (problem) return S.invalid(points, `${problem.slice(0, -1)} in row "${row.id}".`);
        if (chosen.length) answered += 1;
        // A single-column row needs no rule of its own: (right - wrong)/1 floored at 0 is 1 exactly when the key
        // alone is chosen, and 0 otherwise.
        const key = S.keyList(row.key);
        credits[row.id] = key.length ? S.selectCredit(chosen, key).credit : S.ZERO;
      }
      if (!answered) return S.unanswered(points);
      const values = Object.values(credits);
      const credit = values.reduce((a, b) => a.add(b), S.ZERO).mul(S.Frac.of(1, list.length));
      const full = values.filter((c) => c.cmp(S.ONE) === 0).length;
      const part = values.filter((c) => c.cmp(S.ZERO) > 0 && c.cmp(S.ONE) < 0).length;
      const n = S.plural(list.length, "row");
      const reason = part ? `${full} of ${n} fully right, ${part} partly right: ${share(credit, S)}.`
        : `${full} of ${n} right: ${share(credit, S)}.`;
      return S.graded(points, credit, reason, { rows: credits });
    },
    /** @param {unknown} r */
    fits: (r) => root.SourceworkScoring.isDict(r) &&
      Object.values(r).every((v) => typeof v === "string" || root.SourceworkScoring.isStrings(v)),
    /** @param {HTMLFormElement} form */
    read(form) {
      /** @type {Record<string, string | string[]>} */
      const r = {};
      for (const row of rows(form)) {
        const v = checked(row);
        if (v.length) r[row.dataset.swRow || ""] = row.querySelector("input[type=checkbox]") ? v : v[0];
      }
      return Object.keys(r).length ? r : null;
    },
    /** @param {HTMLFormElement} form @param {Record<string, string | string[]>} r */
    write(form, r) {
      for (const row of rows(form)) {
        const v = r[row.dataset.swRow || ""];
        setChecked(row, v === undefined ? [] : typeof v === "string" ? [v] : v);
      }
    },
    /** @param {any} d @param {any} r @param {any} result @param {string[]} lines */
    explain(d, r, result, lines) {
      const credits = result.details.rows || {};
      for (const row of d.rows || []) {
        if (!(row.id in r)) continue;
        const c = credits[row.id] ? String(credits[row.id]) : "";
        const verdict = c === "1" ? "verdict.right" : c === "0" ? "verdict.not_right" : c ? "verdict.partly_right" : "";
        lines.push(quoted(row.text) + (verdict ? t("feedback.colon") + t(verdict) : "") + "." +
          (row.feedback ? " " + row.feedback : ""));
      }
    },
    /** @param {any} d @param {HTMLFormElement} form @param {string[]} _ @param {Function} mark */
    show(d, form, _, mark) {
      for (const row of d.rows || []) {
        const tr = form.querySelector(`tr[data-sw-row="${CSS.escape(row.id)}"]`);
        if (tr) mark(tr, row.key);
      }
    },
    marks: true,
  });
})(/** @type {any} */ (globalThis));
