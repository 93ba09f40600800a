// @ts-check
/** sw-type-choice.js: the choice item type (one option), scorer and widget parts; registers with sw-core.js. */
(function (root) {
  "use strict";
  const { checked, setChecked, find } = root.SourceworkItems;
  root.SourceworkTypes.register("choice", {
    /** @param {any} item @param {unknown} response @param {any} points @param {any} S */
    score(item, response, points, S) {
      if (typeof response !== "string") return S.invalid(points, "Expected one option id.");
      if (!S.ids(item.options).has(response)) return S.invalid(points, `Unknown option "${response}".`);
      if (response === item.key) return S.graded(points, S.ONE, "The chosen option is right: all of the points.");
      return S.graded(points, S.ZERO, "The chosen option is not the right one: no points.");
    },
    /** @param {unknown} r */
    fits: (r) => typeof r === "string",
    /** @param {HTMLFormElement} form */
    read: (form) => checked(form)[0] ?? null,
    /** @param {HTMLFormElement} form @param {string} r */
    write: (form, r) => setChecked(form, [r]),
    /** @param {any} d @param {string} r @param {any} _ @param {string[]} _lines @param {Function} chose */
    explain: (d, r, _, _lines, chose) => chose(find(d.options, r)),
    /** @param {any} d @param {HTMLFormElement} form @param {string[]} _ @param {Function} mark */
    show: (d, form, _, mark) => mark(form, d.key),
    marks: true,
  });
})(/** @type {any} */ (globalThis));
