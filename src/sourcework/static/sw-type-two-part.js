// @ts-check
/**
 * sw-type-two-part.js: the two-part item type (Part A, then the evidence for it in Part B; B counts only when A is
 * right), scorer and widget parts; registers with sw-core.js.
 */
(function (root) {
  "use strict";
  const { checked, setChecked, find } = root.SourceworkItems;
  const S = root.SourceworkScoring;
  /** @param {ParentNode} form */
  const parts = (form) => /** @type {HTMLElement[]} */ (Array.from(form.querySelectorAll("[data-sw-part]")));

  root.SourceworkTypes.register("two-part", {
    /** @param {any} item @param {unknown} response @param {any} points */
    score(item, response, points) {
      if (!S.isDict(item.part_a) || !S.isDict(item.part_b)) {
        return S.invalid(points, "This item lacks a part; tell your teacher.");
      }
      if (!S.isDict(response)) return S.invalid(points, 'Expected {"a": option id, "b": option id}.');
      if (Object.keys(response).some((k) => k !== "a" && k !== "b")) {
        return S.invalid(points, 'Expected only the parts "a" and "b".');
      }
      /** @type {Record<string, string>} */
      const answers = {};
      for (const name of ["a", "b"]) {
        const label = `Part ${name.toUpperCase()}`;
        const chosen = S.get(response, name);
        if (S.isBlank(chosen)) continue;
        if (typeof chosen !== "string") return S.invalid(points, `Expected one option id for ${label}.`);
        if (!S.ids(item[`part_${name}`].options).has(chosen)) {
          return S.invalid(points, `Unknown option "${chosen}" in ${label}.`);
        }
        answers[name] = chosen;
      }
      if (!Object.keys(answers).length) return S.unanswered(points);
      const a = answers.a !== undefined && answers.a === item.part_a.key;
      const b = answers.b !== undefined && answers.b === item.part_b.key;
      const details = { a, b };
      if (a && b) return S.graded(points, S.ONE, "Part A and Part B right: all of the points.", details);
      if (a) return S.graded(points, S.Frac.of(1, 2), "Part A right, Part B not: half of the points.", details);
      return S.graded(points, S.ZERO, "Part A not right: no points (Part B counts only when Part A is right).", details);
    },
    /** @param {unknown} r */
    fits: (r) => S.isDict(r) && Object.entries(r).every(([k, v]) => (k === "a" || k === "b") &&
      (typeof v === "string" || v === null)),
    /** @param {HTMLFormElement} form */
    read(form) {
      /** @type {Record<string, string>} */
      const r = {};
      for (const part of parts(form)) {
        const v = checked(part)[0];
        if (v !== undefined) r[part.dataset.swPart || ""] = v;
      }
      return Object.keys(r).length ? r : null;
    },
    /** @param {HTMLFormElement} form @param {Record<string, any>} r */
    write(form, r) {
      for (const part of parts(form)) {
        const v = r[part.dataset.swPart || ""];
        setChecked(part, typeof v === "string" ? [v] : []);
      }
    },
    /** @param {any} d @param {any} r @param {any} result @param {string[]} _ @param {Function} chose */
    explain(d, r, result, _, chose) {
      for (const name of ["a", "b"]) {
        const part = d[`part_${name}`];
        const t = root.SourceworkItems.t;
        const verdict = name in result.details ? (result.details[name] ? "two_part.right" : "two_part.not_right")
          : "two_part.plain";
        if (part && r[name]) chose(find(part.options, r[name]), t(verdict, { part: name.toUpperCase() }));
      }
    },
    /** @param {any} d @param {HTMLFormElement} form @param {string[]} _ @param {Function} mark */
    show(d, form, _, mark) {
      for (const name of ["a", "b"]) {
        const part = form.querySelector(`[data-sw-part="${name}"]`);
        if (part && d[`part_${name}`]) mark(part, d[`part_${name}`].key);
      }
    },
    marks: true,
  });
})(/** @type {any} */ (globalThis));
