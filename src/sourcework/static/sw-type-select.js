// @ts-check
/** sw-type-select.js: the select item type (every right option), scorer and widget parts; registers with sw-core.js. */
(function (root) {
  "use strict";
  const { checked, setChecked, find } = root.SourceworkItems;
  root.SourceworkTypes.register("select", {
    /** @param {any} item @param {unknown} r @param {any} points @param {any} S */
    score: (item, r, points, S) => S.selectLike(item, r, points, S.ids(item.options), "option", "chosen", "wrong choice"),
    fits: root.SourceworkScoring.isStrings,
    /** @param {HTMLFormElement} form */
    read(form) {
      const v = checked(form);
      return v.length ? v : null;
    },
    /** @param {HTMLFormElement} form @param {string[]} r */
    write: (form, r) => setChecked(form, r),
    /** @param {any} d @param {string[]} r @param {any} _ @param {string[]} _lines @param {Function} chose */
    explain: (d, r, _, _lines, chose) => r.forEach((id) => chose(find(d.options, id))),
    /** @param {any} d @param {HTMLFormElement} form @param {string[]} _ @param {Function} mark */
    show: (d, form, _, mark) => mark(form, d.key),
    marks: true,
  });
})(/** @type {any} */ (globalThis));
