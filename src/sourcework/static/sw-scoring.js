// @ts-check
/**
 * sw-scoring.js: the browser twin of sourcework.core.scoring.
 *
 * Implements DESIGN.md's scoring table with exact fractions (BigInt), giving the same status, earned points and
 * reason sentence as the Python scorer for every response; tests/vectors/*.json prove it. A classic script (no
 * module syntax) so it loads from file:// too; it defines `SourceworkScoring` on the global object, which also
 * makes it usable from Node (see tests/js/run_vectors.mjs).
 *
 * Items are the JSON of Item.to_dict(with_keys=true): fractions are ints or "p/q" strings, and fields that are
 * empty (or 0, like a numeric answer of 0) are left out.
 */
(function (root) {
  "use strict";

  /** @param {bigint} a @param {bigint} b @returns {bigint} */
  function gcd(a, b) {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  }

  /** An exact fraction n/d, always normalised (d > 0, lowest terms), so equal values have equal fields. */
  class Frac {
    /** @param {bigint} n @param {bigint} [d] */
    constructor(n, d = 1n) {
      if (d === 0n) throw new RangeError("zero denominator");
      if (d < 0n) [n, d] = [-n, -d];
      const g = gcd(n, d) || 1n;
      this.n = n / g;
      this.d = d / g;
    }
    /** @param {Frac} o */ add(o) { return new Frac(this.n * o.d + o.n * this.d, this.d * o.d); }
    /** @param {Frac} o */ sub(o) { return new Frac(this.n * o.d - o.n * this.d, this.d * o.d); }
    /** @param {Frac} o */ mul(o) { return new Frac(this.n * o.n, this.d * o.d); }
    /** @param {Frac} o */ div(o) { return new Frac(this.n * o.d, this.d * o.n); }
    /** @param {Frac} o @returns {number} -1, 0 or 1 */
    cmp(o) {
      const diff = this.n * o.d - o.n * this.d;
      return diff < 0n ? -1 : diff > 0n ? 1 : 0;
    }
    abs() { return new Frac(this.n < 0n ? -this.n : this.n, this.d); }
    /** Same text as Python's str(Fraction): "p/q", or "p" when whole. */
    toString() { return this.d === 1n ? String(this.n) : `${this.n}/${this.d}`; }
    /** @param {number} a @param {number} [b] */
    static of(a, b = 1) { return new Frac(BigInt(a), BigInt(b)); }
    /**
     * Read an item's number: an int, a "p/q" string, a decimal string or a float (by its shortest decimal).
     * @param {unknown} value @returns {Frac | null}
     */
    static from(value) {
      if (typeof value === "number") {
        if (!Number.isFinite(value)) return null;
        value = String(value);
      }
      if (typeof value !== "string") return null;
      const text = value.trim();
      const ratio = /^([+-]?[0-9]+)\s*\/\s*([0-9]+)$/.exec(text);
      if (ratio) return BigInt(ratio[2]) === 0n ? null : new Frac(BigInt(ratio[1]), BigInt(ratio[2]));
      const dec = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
      if (!dec || !(dec[2] || dec[3])) return null;
      const digits = dec[3] || "";
      const exp = Number(dec[4] || 0) - digits.length;
      let f = new Frac(BigInt((dec[2] || "") + digits || "0"));
      f = exp >= 0 ? f.mul(new Frac(10n ** BigInt(exp))) : f.div(new Frac(10n ** BigInt(-exp)));
      return dec[1] === "-" ? new Frac(-f.n, f.d) : f;
    }
  }

  const ZERO = Frac.of(0);
  const ONE = Frac.of(1);

  // The same explicit whitespace set as the Python scorer (String.prototype.trim knows more characters).
  const WS = " \\t\\n\\r\\f\\v\\u00a0\\u202f";
  const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, "g");
  const TRIM_END = new RegExp(`[${WS}]+$`);
  const MAX_NUMBER_LENGTH = 64;
  const NUMBER = /^([+\-\u2212]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?$/;

  /**
   * @typedef {{earned: Frac, possible: Frac, status: string, reason: string, details: Record<string, unknown>}} Score
   * @typedef {{id: string}} WithId
   * @typedef {{[key: string]: any}} ItemData
   */

  /** @param {string} s */
  const strip = (s) => s.replace(TRIM, "");
  /** @param {unknown} v @returns {v is Record<string, unknown>} */
  const isDict = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  /** @param {Record<string, unknown>} obj @param {string} key */
  const get = (obj, key) => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
  /** @param {unknown} v */
  const isBlank = (v) => v === null || v === undefined || (typeof v === "string" && !strip(v));
  /** @param {unknown} v */
  const isStringList = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
  /** @param {unknown} list @returns {Set<string>} */
  const ids = (list) => new Set(Array.isArray(list) ? list.map((/** @type {WithId} */ x) => x.id) : []);
  /** @param {unknown} key @returns {string[]} */
  const keyList = (key) => (typeof key === "string" ? [key] : Array.isArray(key) ? key : []);

  /** @param {unknown} response */
  function isEmpty(response) {
    if (isBlank(response)) return true;
    if (Array.isArray(response)) return response.length === 0;
    return isDict(response) && Object.keys(response).length === 0;
  }

  /** @param {Frac} possible @param {string} reason @returns {Score} */
  const invalid = (possible, reason) => ({ earned: ZERO, possible, status: "invalid", reason, details: {} });
  /** @param {Frac} possible @returns {Score} */
  const unanswered = (possible) =>
    ({ earned: ZERO, possible, status: "unanswered", reason: "No answer given: no points.", details: {} });

  /** @param {Frac} points @param {Frac} credit @param {string} reason @param {Record<string, unknown>} [details] */
  function graded(points, credit, reason, details = {}) {
    const status = credit.cmp(ONE) === 0 ? "correct" : credit.cmp(ZERO) === 0 ? "incorrect" : "partial";
    return /** @type {Score} */ ({ earned: points.mul(credit), possible: points, status, reason, details });
  }

  /** @param {Frac} credit */
  function share(credit) {
    if (credit.cmp(ONE) === 0) return "all of the points";
    if (credit.cmp(ZERO) === 0) return "no points";
    return `${credit} of the points`;
  }

  /** @param {number} count @param {string} word */
  const plural = (count, word) => (count === 1 ? `${count} ${word}` : `${count} ${word}s`);
  /** @param {string} s */
  const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  /**
   * Why `response` is not a list of distinct known ids of `kind`, or null if it is.
   * @param {unknown} response @param {Set<string>} valid @param {string} kind @param {string} twice
   */
  function checkIdList(response, valid, kind, twice) {
    if (!isStringList(response)) return `Expected a list of ${kind} ids.`;
    const seen = new Set();
    for (const x of /** @type {string[]} */ (response)) {
      if (!valid.has(x)) return `Unknown ${kind} "${x}".`;
      if (seen.has(x)) return `${capitalize(kind)} "${x}" is ${twice} twice.`;
      seen.add(x);
    }
    return null;
  }

  /** @param {ItemData} item */
  const pointsOf = (item) => Frac.from(item.points ?? 1) || ONE;

  /** @param {ItemData} item @param {unknown} response */
  function scoreChoice(item, response) {
    const points = pointsOf(item);
    if (typeof response !== "string") return invalid(points, "Expected one option id.");
    if (!ids(item.options).has(response)) return invalid(points, `Unknown option "${response}".`);
    if (response === item.key) return graded(points, ONE, "The chosen option is right: all of the points.");
    return graded(points, ZERO, "The chosen option is not the right one: no points.");
  }

  /** max(0, (right - wrong) / #keyed), with its counts. @param {string[]} chosen @param {string[]} key */
  function selectCredit(chosen, key) {
    const right = chosen.filter((x) => key.includes(x)).length;
    const wrong = chosen.length - right;
    const credit = right > wrong ? Frac.of(right - wrong, key.length) : ZERO;
    return { credit, right, wrong };
  }

  /**
   * @param {ItemData} item @param {unknown} response @param {Set<string>} valid
   * @param {string} noun @param {string} verb @param {string} wrongNoun
   */
  function scoreSelectLike(item, response, valid, noun, verb, wrongNoun) {
    const points = pointsOf(item);
    const key = keyList(item.key);
    if (!key.length) return invalid(points, "This item has no key; tell your teacher.");
    const problem = checkIdList(response, valid, noun, verb);
    if (problem) return invalid(points, problem);
    const { credit, right, wrong } = selectCredit(/** @type {string[]} */ (response), key);
    const counts = `${right} of ${plural(key.length, `keyed ${noun}`)} ${verb}, ${plural(wrong, wrongNoun)}`;
    let reason;
    if (credit.cmp(ONE) === 0) reason = `${counts}: all of the points.`;
    else if (right === 0) reason = `${counts}: no points.`;
    else if (credit.cmp(ZERO) === 0) reason = `${counts}: each ${wrongNoun} cancels a right one, so no points.`;
    else reason = `${counts}: (${right}\u2212${wrong})/${key.length} of the points.`;
    return graded(points, credit, reason, { right, wrong, keyed: key.length });
  }

  /** @param {ItemData} item @param {unknown} response */
  function scoreGrid(item, response) {
    const points = pointsOf(item);
    const rows = Array.isArray(item.rows) ? item.rows : [];
    if (!rows.length) return invalid(points, "This item has no rows; tell your teacher.");
    if (!isDict(response)) return invalid(points, 'Expected one column per row, e.g. {"row": "column"}.');
    const rowIds = ids(rows);
    if (Object.keys(response).some((k) => !rowIds.has(k))) {
      return invalid(points, "The answer names a row that this item does not have.");
    }
    const columns = ids(item.columns);
    /** @type {Record<string, Frac>} */
    const credits = {};
    let answered = 0;
    for (const row of rows) {
      let chosen = get(response, row.id);
      if (isBlank(chosen)) chosen = [];
      else if (typeof chosen === "string") chosen = [chosen];
      if (!isStringList(chosen)) {
        return invalid(points, `Expected a column id or a list of column ids for row "${row.id}".`);
      }
      const problem = checkIdList(chosen, columns, "column", "chosen");
      if (problem) return invalid(points, `${problem.slice(0, -1)} in row "${row.id}".`);
      const list = /** @type {string[]} */ (chosen);
      if (list.length) answered += 1;
      // A single-column row needs no rule of its own: (right - wrong)/1 floored at 0 is 1 exactly when the key
      // alone is chosen, and 0 otherwise.
      const key = keyList(row.key);
      credits[row.id] = key.length ? selectCredit(list, key).credit : ZERO;
    }
    if (!answered) return unanswered(points);
    const values = Object.values(credits);
    const credit = values.reduce((a, b) => a.add(b), ZERO).div(Frac.of(rows.length));
    const full = values.filter((c) => c.cmp(ONE) === 0).length;
    const part = values.filter((c) => c.cmp(ZERO) > 0 && c.cmp(ONE) < 0).length;
    const n = plural(rows.length, "row");
    let reason;
    if (part) reason = `${full} of ${n} fully right, ${part} partly right: ${share(credit)}.`;
    else reason = `${full} of ${n} right: ${share(credit)}.`;
    return graded(points, credit, reason, { rows: credits });
  }

  /** @param {string} unit */
  function unitSuffixes(unit) {
    if (["percent", "%"].includes(unit.toLowerCase())) return ["%", "percent"];
    return unit ? [unit] : [];
  }

  /**
   * Read a typed number exactly, or return null. Same grammar as Python's parse_number: whitespace, a leading
   * sign (+, -, −), commas only between groups of three digits, a decimal point, an optional trailing unit (the
   * item's, or %/percent for percent); no exponents.
   * @param {string} text @param {string} [unit] @returns {Frac | null}
   */
  function parseNumber(text, unit = "") {
    text = strip(text);
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
    const tail = suffixes.length ? `, optionally followed by ${suffixes.map((s) => `"${s}"`).join(" or ")}` : "";
    return "Expected a number such as 2.05 or 23,100 (a point for decimals, commas only between groups of three " +
      `digits)${tail}.`;
  }

  /** @param {ItemData} item @param {unknown} response */
  function scoreNumeric(item, response) {
    const points = pointsOf(item);
    // to_dict leaves out an answer of exactly 0, so a missing answer is 0 (as in serial.item_from_dict).
    const answer = item.answer === undefined || item.answer === null ? ZERO : Frac.from(item.answer);
    if (!answer) return invalid(points, "This item has no answer; tell your teacher.");
    if (typeof response !== "string") return invalid(points, "Expected the number as typed (text).");
    const unit = typeof item.unit === "string" ? item.unit : "";
    const value = parseNumber(response, unit);
    if (!value) return invalid(points, numberExpected(unit));
    const diff = value.sub(answer).abs();
    let within = diff.cmp(ZERO) === 0;
    const tolAbs = item.tolerance_abs == null ? null : Frac.from(item.tolerance_abs);
    const tolRel = item.tolerance_rel == null ? null : Frac.from(item.tolerance_rel);
    if (tolAbs) within = within || diff.cmp(tolAbs) <= 0;
    if (tolRel) within = within || diff.cmp(tolRel.mul(answer.abs())) <= 0;
    if (within) return graded(points, ONE, "Within the accepted range: all of the points.", { value });
    return graded(points, ZERO, "Outside the accepted range: no points.", { value });
  }

  /** @param {ItemData} item @param {unknown} response */
  function scoreOrder(item, response) {
    const points = pointsOf(item);
    const key = keyList(item.key);
    if (!key.length) return invalid(points, "This item has no key; tell your teacher.");
    const problem = checkIdList(response, new Set(key), "event", "listed");
    if (problem) return invalid(points, problem);
    const list = /** @type {string[]} */ (response);
    if (list.length !== key.length) {
      return invalid(points, `Expected all ${key.length} events in order, got ${list.length}.`);
    }
    const n = key.length;
    const pairs = (n * (n - 1)) / 2;
    let inOrder = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) if (key.indexOf(list[i]) < key.indexOf(list[j])) inOrder += 1;
    }
    const credit = pairs ? Frac.of(inOrder, pairs) : ONE;
    const counts = `${inOrder} of ${plural(pairs, "pair")} of events in the right order`;
    let reason;
    if (credit.cmp(ONE) === 0) reason = `${counts}: all of the points.`;
    else if (inOrder) reason = `${counts}: ${inOrder}/${pairs} of the points.`; // unreduced: the student sees counts
    else reason = `${counts}: no points.`;
    return graded(points, credit, reason, { pairs_right: inOrder, pairs });
  }

  /** @param {ItemData} item @param {unknown} response */
  function scoreTwoPart(item, response) {
    const points = pointsOf(item);
    if (!isDict(item.part_a) || !isDict(item.part_b)) {
      return invalid(points, "This item lacks a part; tell your teacher.");
    }
    if (!isDict(response)) return invalid(points, 'Expected {"a": option id, "b": option id}.');
    if (Object.keys(response).some((k) => k !== "a" && k !== "b")) {
      return invalid(points, 'Expected only the parts "a" and "b".');
    }
    /** @type {Record<string, string>} */
    const answers = {};
    /** @type {[string, ItemData][]} */
    const parts = [["a", item.part_a], ["b", item.part_b]];
    for (const [name, part] of parts) {
      const label = `Part ${name.toUpperCase()}`;
      const chosen = get(response, name);
      if (isBlank(chosen)) continue;
      if (typeof chosen !== "string") return invalid(points, `Expected one option id for ${label}.`);
      if (!ids(part.options).has(chosen)) return invalid(points, `Unknown option "${chosen}" in ${label}.`);
      answers[name] = chosen;
    }
    if (!Object.keys(answers).length) return unanswered(points);
    const aRight = answers.a !== undefined && answers.a === item.part_a.key;
    const bRight = answers.b !== undefined && answers.b === item.part_b.key;
    const details = { a: aRight, b: bRight };
    if (aRight && bRight) return graded(points, ONE, "Part A and Part B right: all of the points.", details);
    if (aRight) return graded(points, Frac.of(1, 2), "Part A right, Part B not: half of the points.", details);
    return graded(points, ZERO, "Part A not right: no points (Part B counts only when Part A is right).", details);
  }

  /** @param {ItemData} item @param {unknown} response @returns {Score} */
  function scoreResponse(item, response) {
    const rubric = Array.isArray(item.rubric) ? item.rubric : [];
    /** @param {{levels?: {points: number}[]}} c @returns {number[]} */
    const levelPoints = (c) => (Array.isArray(c.levels) ? c.levels.map((l) => l.points) : []);
    const possible = rubric.reduce((sum, c) => {
      const pts = levelPoints(c);
      return pts.length ? sum.add(Frac.of(Math.max(...pts))) : sum;
    }, ZERO);
    if (isEmpty(response)) return unanswered(possible);
    if (!isDict(response)) return invalid(possible, 'Expected {"text": your answer, "self": your self-rating}.');
    const text = get(response, "text");
    if (text !== undefined && text !== null && typeof text !== "string") {
      return invalid(possible, "Expected the written answer as text.");
    }
    if (isBlank(text)) return unanswered(possible);
    /** @type {Record<string, unknown>} */
    const details = {};
    const rating = get(response, "self");
    if (rating !== undefined && rating !== null && !(isDict(rating) && !Object.keys(rating).length)) {
      // A broken self-rating must not cost the student the written answer: it is set aside with a note.
      const ok = isDict(rating) && Object.keys(rating).length === rubric.length && rubric.every((c) => {
        const v = get(rating, c.id);
        const n = typeof v === "string" && /^[0-9]{1,6}$/.test(strip(v)) ? Number(strip(v)) : v;
        return typeof n === "number" && levelPoints(c).includes(n);
      });
      if (ok) details.self = rating;
      else details.self_error = "The self-rating does not give one level per rubric criterion.";
    }
    return { earned: ZERO, possible, status: "ungraded", reason: "Scored by your teacher with the rubric.", details };
  }

  /** @type {Record<string, (item: ItemData, response: unknown) => Score>} */
  const SCORERS = {
    choice: scoreChoice,
    select: (item, r) => scoreSelectLike(item, r, ids(item.options), "option", "chosen", "wrong choice"),
    grid: scoreGrid,
    mark: (item, r) => scoreSelectLike(item, r, ids(item.spans), "phrase", "marked", "wrong mark"),
    numeric: scoreNumeric,
    order: scoreOrder,
    "two-part": scoreTwoPart,
  };

  /**
   * Score `response` (any JSON value, as saved) against `item` (Item.to_dict JSON); never throws on a response.
   * @param {ItemData} item @param {unknown} response @returns {Score}
   */
  function score(item, response) {
    if (item.type === "response") return scoreResponse(item, response);
    const points = pointsOf(item);
    if (isEmpty(response)) return unanswered(points);
    const scorer = Object.prototype.hasOwnProperty.call(SCORERS, item.type) ? SCORERS[item.type] : null;
    if (!scorer) return invalid(points, `This item has an unknown type "${item.type}"; tell your teacher.`);
    return scorer(item, response);
  }

  /**
   * Points for display: rounded half up (away from zero) to 2 decimals, trailing zeros dropped ("0.67", "0.5", "1").
   * @param {Frac} value @returns {string}
   */
  function formatPoints(value) {
    const absN = value.n < 0n ? -value.n : value.n;
    const hundredths = (absN * 200n + value.d) / (2n * value.d); // floor(|v|·100 + 1/2), all non-negative
    const cents = String(hundredths % 100n).padStart(2, "0");
    const text = `${hundredths / 100n}.${cents}`.replace(/0+$/, "").replace(/\.$/, "");
    return value.n < 0n && hundredths ? `-${text}` : text;
  }

  root.SourceworkScoring = { score, parseNumber, formatPoints, Frac };
})(/** @type {any} */ (globalThis));
