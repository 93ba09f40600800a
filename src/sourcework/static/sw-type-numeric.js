// @ts-check
/**
 * sw-type-numeric.js: the numeric item type (a typed number, with a tolerance and a unit), scorer and widget parts;
 * registers with sw-core.js. The number grammar is Python's parse_number (sourcework.core.numbers).
 */
(function (root) {
  "use strict";
  const S = root.SourceworkScoring;
  const { Frac, ZERO, ONE } = S;
  const MAX_NUMBER_LENGTH = 64;
  const TRIM_END = /[ \t\n\r\f\v\u00a0\u202f]+$/; // the scorer's whitespace set (sw-core.js)
  const NUMBER = /^([+\-\u2212]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?$/;

  /**
   * An item's number (answer, tolerance): an int, a "p/q" string, a decimal string or a float (by its shortest
   * decimal); sw-core.js's Frac.from reads the first two only. @param {unknown} value @returns {Frac | null}
   */
  function itemNumber(value) {
    if (typeof value === "number" && Number.isFinite(value)) value = String(value);
    if (typeof value !== "string") return null;
    const dec = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(value.trim());
    if (!dec || !(dec[2] || dec[3])) return Frac.from(value);
    const digits = dec[3] || "";
    const exp = Number(dec[4] || 0) - digits.length;
    const n = BigInt(dec[1] + (dec[2] + digits || "0"));
    return exp < 0 ? new Frac(n, 10n ** BigInt(-exp)) : new Frac(n * 10n ** BigInt(exp));
  }

  /** |f|: the only arithmetic beyond sw-core.js's that the scorer needs. @param {Frac} f */
  const abs = (f) => new Frac(f.n < 0n ? -f.n : f.n, f.d);

  /** @param {string} unit */
  const unitSuffixes = (unit) => (["percent", "%"].includes(unit.toLowerCase()) ? ["%", "percent"] : unit ? [unit] : []);

  /**
   * Read a typed number exactly, or return null: whitespace, a leading sign (+, -, −), commas only between groups
   * of three digits, a decimal point, an optional trailing unit (the item's, or %/percent for percent); no exponents.
   * @param {string} text @param {string} [unit] @returns {Frac | null}
   */
  function parseNumber(text, unit = "") {
    text = S.strip(text);
    if (text.length > MAX_NUMBER_LENGTH) return null;
    for (const suffix of unitSuffixes(unit)) {
      // Compare the tail, not text.toLowerCase(): lowercasing can change a string's length.
      if (text.slice(-suffix.length).toLowerCase() === suffix.toLowerCase()) {
        text = text.slice(0, text.length - suffix.length).replace(TRIM_END, "");
        break;
      }
    }
    const match = NUMBER.exec(text);
    if (!match) return null;
    const whole = match[2].replace(/,/g, "");
    const decimals = match[3] || "";
    if (!whole && !decimals) return null;
    const value = new Frac(BigInt(whole + decimals || "0"), 10n ** BigInt(decimals.length));
    return match[1] === "-" || match[1] === "\u2212" ? new Frac(-value.n, value.d) : value;
  }

  /** @param {string} unit */
  function numberExpected(unit) {
    const suffixes = unitSuffixes(unit);
    const tail = suffixes.length ? ", optionally followed by " + suffixes.map((s) => '"' + s + '"').join(" or ") : "";
    return "Expected a number such as 2.05 or 23,100 (a point for decimals, commas only between groups of three " +
      `digits)${tail}.`;
  }

  /** A "p/q", integer or decimal string as a short decimal. @param {unknown} value */
  function decimal(value) {
    const f = itemNumber(value ?? 0);
    return f ? String(Math.round((Number(f.n) / Number(f.d)) * 1e6) / 1e6) : String(value);
  }

  /** @param {HTMLFormElement} form */
  const field = (form) => /** @type {HTMLInputElement} */ (form.querySelector("input.sw-number"));

  root.SourceworkTypes.register("numeric", {
    /** @param {any} item @param {unknown} response @param {any} points */
    score(item, response, points) {
      // to_dict leaves out an answer of exactly 0, so a missing answer is 0 (as in serial.item_from_dict).
      const answer = item.answer === undefined || item.answer === null ? ZERO : itemNumber(item.answer);
      if (!answer) return S.invalid(points, "This item has no answer; tell your teacher.");
      if (typeof response !== "string") return S.invalid(points, "Expected the number as typed (text).");
      const unit = typeof item.unit === "string" ? item.unit : "";
      const value = parseNumber(response, unit);
      if (!value) return S.invalid(points, numberExpected(unit));
      const diff = abs(value.add(new Frac(-answer.n, answer.d)));
      let within = diff.cmp(ZERO) === 0;
      const tolAbs = item.tolerance_abs == null ? null : itemNumber(item.tolerance_abs);
      const tolRel = item.tolerance_rel == null ? null : itemNumber(item.tolerance_rel);
      if (tolAbs) within = within || diff.cmp(tolAbs) <= 0;
      if (tolRel) within = within || diff.cmp(tolRel.mul(abs(answer))) <= 0;
      if (within) return S.graded(points, ONE, "Within the accepted range: all of the points.", { value });
      return S.graded(points, ZERO, "Outside the accepted range: no points.", { value });
    },
    /** @param {unknown} r */
    fits: (r) => typeof r === "string",
    /** @param {HTMLFormElement} form */
    read: (form) => (field(form).value.trim() ? field(form).value : null),
    /** @param {HTMLFormElement} form @param {string} r */
    write: (form, r) => { field(form).value = r; },
    /** @param {any} d @param {any} _ @param {any} result @param {string[]} lines */
    explain(d, _, result, lines) {
      const text = (d.outcome_feedback || {})[result.status === "correct" ? "correct" : "incorrect"];
      if (text) lines.push(text);
    },
    /** @param {any} d @param {HTMLFormElement} _ @param {string[]} lines */
    show: (d, _, lines) => lines.push(root.SourceworkItems.t("numeric.answer_is",
      { answer: decimal(d.answer) + (d.unit ? " " + d.unit : "") })),
  });
  S.parseNumber = parseNumber;
})(/** @type {any} */ (globalThis));
