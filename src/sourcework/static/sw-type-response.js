// @ts-check
/**
 * sw-type-response.js: the written-response item type (a text and an optional self-rating per rubric criterion):
 * ungraded until a teacher scores it with the rubric; registers with sw-core.js.
 */
(function (root) {
  "use strict";
  const { checked, setChecked, points: shown } = root.SourceworkItems;
  const S = root.SourceworkScoring;
  /** @param {ParentNode} form */
  const criteria = (form) => /** @type {HTMLElement[]} */ (Array.from(form.querySelectorAll("[data-sw-criterion]")));
  /** @param {HTMLFormElement} form */
  const box = (form) => /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea"));
  /** @param {{levels?: {points: number}[]}} c @returns {number[]} */
  const levelPoints = (c) => (Array.isArray(c.levels) ? c.levels.map((l) => l.points) : []);

  root.SourceworkTypes.register("response", {
    raw: true, // decides itself what is unanswered: its points are the rubric's, not the item's
    /** @param {any} item @param {unknown} response */
    score(item, response) {
      const rubric = Array.isArray(item.rubric) ? item.rubric : [];
      const possible = rubric.reduce((sum, c) => {
        const pts = levelPoints(c);
        return pts.length ? sum.add(S.Frac.of(Math.max(...pts))) : sum;
      }, S.ZERO);
      if (S.isEmpty(response)) return S.unanswered(possible);
      if (!S.isDict(response)) return S.invalid(possible, 'Expected {"text": your answer, "self": your self-rating}.');
      const text = S.get(response, "text");
      if (text !== undefined && text !== null && typeof text !== "string") {
        return S.invalid(possible, "Expected the written answer as text.");
      }
      if (S.isBlank(text)) return S.unanswered(possible);
      /** @type {Record<string, unknown>} */
      const details = {};
      const rating = S.get(response, "self");
      if (rating !== undefined && rating !== null && !(S.isDict(rating) && !Object.keys(rating).length)) {
        // A broken self-rating must not cost the student the written answer: it is set aside with a note.
        const ok = S.isDict(rating) && Object.keys(rating).length === rubric.length && rubric.every((c) => {
          const v = S.get(rating, c.id);
          const n = typeof v === "string" && /^[0-9]{1,6}$/.test(S.strip(v)) ? Number(S.strip(v)) : v;
          return typeof n === "number" && levelPoints(c).includes(n);
        });
        if (ok) details.self = rating;
        else details.self_error = "The self-rating does not give one level per rubric criterion.";
      }
      return { earned: S.ZERO, possible, status: "ungraded", reason: "Scored by your teacher with the rubric.", details };
    },
    /** @param {any} r */
    fits: (r) => S.isDict(r) && (r.text === undefined || typeof r.text === "string") &&
      (r.self === undefined || S.isDict(r.self)),
    /** @param {HTMLFormElement} form */
    read(form) {
      const text = box(form).value;
      /** @type {Record<string, number>} */
      const self = {};
      for (const group of criteria(form)) {
        const v = checked(group)[0];
        if (v !== undefined) self[group.dataset.swCriterion || ""] = Number(v);
      }
      if (!text.trim() && !Object.keys(self).length) return null;
      return Object.keys(self).length ? { text, self } : { text };
    },
    /** @param {HTMLFormElement} form @param {any} r */
    write(form, r) {
      box(form).value = r.text || "";
      for (const group of criteria(form)) {
        const v = (r.self || {})[group.dataset.swCriterion || ""];
        setChecked(group, v === undefined ? [] : [String(v)]);
      }
    },
    /** @param {any} _d @param {any} _r @param {any} result @param {string[]} lines */
    explain(_d, _r, result, lines) {
      if (!result.details.self) return;
      const total = Object.values(result.details.self).reduce((a, b) => a + Number(b), 0);
      lines.push(root.SourceworkItems.t("response.self_rating", { total, possible: shown(result.possible) }));
    },
    /** @param {any} d @param {HTMLFormElement} _ @param {string[]} lines */
    show(d, _, lines) {
      for (const c of d.rubric || []) {
        const top = (c.levels || []).reduce((/** @type {any} */ a, /** @type {any} */ b) =>
          (b.points > a.points ? b : a), { points: -1 });
        // Anchor answers ship only in the instructor edition; elsewhere the top level's descriptor guides.
        if (top.anchor || top.descriptor) lines.push(`${c.criterion}, ${top.label}: ${top.anchor || top.descriptor}`);
      }
    },
  });
})(/** @type {any} */ (globalThis));
