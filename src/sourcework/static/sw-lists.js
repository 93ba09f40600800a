// @ts-check
/**
 * sw-lists.js: the scorer helpers of the item types whose answers are lists of ids (select, mark, grid, order),
 * added to SourceworkScoring (sw-core.js). Loaded after sw-core.js and before those types' files, only on pages that
 * have one of them (sphinx_ext/assets.py); the same sentences as sourcework.core.scoring.
 */
(function (root) {
  "use strict";
  const S = root.SourceworkScoring;
  const { Frac, ZERO, ONE } = S;

  /** @param {unknown} v @returns {v is string[]} */
  const isStrings = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");

  /** @param {number} count @param {string} word */
  const plural = (count, word) => count + " " + word + (count === 1 ? "" : "s");

  /**
   * Why `response` is not a list of distinct known ids of `kind`, or null if it is (select, mark, grid, order).
   * @param {unknown} response @param {Set<string>} valid @param {string} kind @param {string} twice
   */
  function checkIdList(response, valid, kind, twice) {
    if (!isStrings(response)) return `Expected a list of ${kind} ids.`;
    const seen = new Set();
    for (const x of response) {
      if (!valid.has(x)) return `Unknown ${kind} "${x}".`;
      if (seen.has(x)) return `${kind.charAt(0).toUpperCase() + kind.slice(1)} "${x}" is ${twice} twice.`;
      seen.add(x);
    }
    return null;
  }

  /** max(0, (right - wrong) / #keyed), with its counts (select, mark, grid). @param {string[]} chosen @param {string[]} key */
  function selectCredit(chosen, key) {
    const right = chosen.filter((x) => key.includes(x)).length;
    const wrong = chosen.length - right;
    return { credit: right > wrong ? Frac.of(right - wrong, key.length) : ZERO, right, wrong };
  }

  /**
   * The select and mark scorer: (right - wrong) / #keyed, floored at 0, with the counts in the reason.
   * @param {any} item @param {unknown} response @param {any} points @param {Set<string>} valid
   * @param {string} noun @param {string} verb @param {string} wrongNoun
   */
  function selectLike(item, response, points, valid, noun, verb, wrongNoun) {
    const key = S.keyList(item.key);
    if (!key.length) return S.invalid(points, "This item has no key; tell your teacher.");
    const problem = checkIdList(response, valid, noun, verb);
    if (problem) return S.invalid(points, problem);
    const { credit, right, wrong } = selectCredit(/** @type {string[]} */ (response), key);
    const counts = `${right} of ${plural(key.length, "keyed " + noun)} ${verb}, ${plural(wrong, wrongNoun)}`;
    let reason;
    if (credit.cmp(ONE) === 0) reason = `${counts}: all of the points.`;
    else if (right === 0) reason = `${counts}: no points.`;
    else if (credit.cmp(ZERO) === 0) reason = `${counts}: each ${wrongNoun} cancels a right one, so no points.`;
    else reason = `${counts}: (${right}\u2212${wrong})/${key.length} of the points.`;
    return S.graded(points, credit, reason, { right, wrong, keyed: key.length });
  }

  Object.assign(S, { isStrings, plural, checkIdList, selectCredit, selectLike });
})(/** @type {any} */ (globalThis));
