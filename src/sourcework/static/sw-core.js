// @ts-check
/**
 * sw-core.js: what every exercise page needs, whatever its item types: the browser twin of
 * sourcework.core.scoring's shared part (exact fractions, the helpers, the dispatcher), the type registry, and the
 * ItemWidget base that reads, saves, restores, checks and explains one item (a `section.sw-item` rendered by
 * sourcework.core.render).
 *
 * Each item type lives in its own small file, `sw-type-<type>.js`, loaded only on pages that have an item of that
 * type; it registers its scorer and its widget parts with `SourceworkTypes.register(type, spec)`:
 *
 *   score(item, response, points, S)  the scorer (after the shared "unanswered" test), returns a Score;
 *                                     with `raw: true` it also decides what is unanswered (the rubric type)
 *   fits(response)                    whether a saved or loaded response has this type's shape
 *   read(form, widget) / write(form, response, widget)   the response from and into the native controls
 *   explain(data, response, result, lines, chose)        feedback lines for what the student chose
 *   show(data, form, lines, mark)                        Show answer: mark keyed options, add lines
 *   click(widget, button)             a type's own buttons (mark's phrases, order's moves); true when handled
 *   marks: true                       Show answer marks options with the text CORRECT_MARK
 *
 * The scorer gives the same status, earned points and reason sentence as the Python scorer for every response;
 * tests/vectors/*.json prove it (tests/js/run_vectors.mjs loads this file and every type file). Classic script, no
 * module syntax, so it loads from file:// and runs under Node's vm too. Items are the JSON of
 * Item.to_dict(with_keys=true): fractions are ints or "p/q" strings, and empty fields are left out. All text
 * reaches the page through textContent, never as HTML; right and wrong are said in words with an icon.
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

  /**
   * @typedef {{earned: Frac, possible: Frac, status: string, reason: string, details: Record<string, any>}} Score
   * @typedef {{[key: string]: any}} ItemData
   * @typedef {{edition: string, storage: any, onChange: (id: string) => void}} Context
   */

  /** @param {string} s */
  const strip = (s) => s.replace(TRIM, "");
  /** @param {unknown} v @returns {v is Record<string, any>} */
  const isDict = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  /** @param {Record<string, unknown>} obj @param {string} key */
  const get = (obj, key) => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
  /** @param {unknown} v */
  const isBlank = (v) => v === null || v === undefined || (typeof v === "string" && !strip(v));
  /** @param {unknown} v @returns {v is string[]} */
  const isStrings = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
  /** @param {unknown} list @returns {Set<string>} */
  const ids = (list) => new Set(Array.isArray(list) ? list.map((x) => x.id) : []);
  /** @param {unknown} key @returns {string[]} */
  const keyList = (key) => (typeof key === "string" ? [key] : Array.isArray(key) ? key : []);
  /** @param {unknown} response */
  const isEmpty = (response) => isBlank(response) || (Array.isArray(response) ? !response.length
    : isDict(response) && !Object.keys(response).length);

  /** @param {Frac} possible @param {string} reason @returns {Score} */
  const invalid = (possible, reason) => ({ earned: ZERO, possible, status: "invalid", reason, details: {} });
  /** @param {Frac} possible @returns {Score} */
  const unanswered = (possible) =>
    ({ earned: ZERO, possible, status: "unanswered", reason: "No answer given: no points.", details: {} });

  /** @param {Frac} points @param {Frac} credit @param {string} reason @param {Record<string, any>} [details] */
  function graded(points, credit, reason, details = {}) {
    const status = credit.cmp(ONE) === 0 ? "correct" : credit.cmp(ZERO) === 0 ? "incorrect" : "partial";
    return /** @type {Score} */ ({ earned: points.mul(credit), possible: points, status, reason, details });
  }

  /** @param {number} count @param {string} word */
  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

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
   * @param {ItemData} item @param {unknown} response @param {Frac} points @param {Set<string>} valid
   * @param {string} noun @param {string} verb @param {string} wrongNoun
   */
  function selectLike(item, response, points, valid, noun, verb, wrongNoun) {
    const key = keyList(item.key);
    if (!key.length) return invalid(points, "This item has no key; tell your teacher.");
    const problem = checkIdList(response, valid, noun, verb);
    if (problem) return invalid(points, problem);
    const { credit, right, wrong } = selectCredit(/** @type {string[]} */ (response), key);
    const counts = `${right} of ${plural(key.length, "keyed " + noun)} ${verb}, ${plural(wrong, wrongNoun)}`;
    let reason;
    if (credit.cmp(ONE) === 0) reason = `${counts}: all of the points.`;
    else if (right === 0) reason = `${counts}: no points.`;
    else if (credit.cmp(ZERO) === 0) reason = `${counts}: each ${wrongNoun} cancels a right one, so no points.`;
    else reason = `${counts}: (${right}\u2212${wrong})/${key.length} of the points.`;
    return graded(points, credit, reason, { right, wrong, keyed: key.length });
  }

  /** @param {ItemData} item */
  const pointsOf = (item) => Frac.from(item.points ?? 1) || ONE;

  /** The registered item types: type name → spec (see the top of this file). @type {Record<string, any>} */
  const TYPES = {};
  /** @param {string} type */
  const spec = (type) => (Object.prototype.hasOwnProperty.call(TYPES, type) ? TYPES[type] : null);

  /**
   * Score `response` (any JSON value, as saved) against `item` (Item.to_dict JSON); never throws on a response.
   * @param {ItemData} item @param {unknown} response @returns {Score}
   */
  function score(item, response) {
    const type = spec(item.type);
    if (type && type.raw) return type.score(item, response, null, S);
    const points = pointsOf(item);
    if (isEmpty(response)) return unanswered(points);
    if (!type) return invalid(points, `This item has an unknown type "${item.type}"; tell your teacher.`);
    return type.score(item, response, points, S);
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

  /** What type files use: the fractions and the scorer's shared helpers. */
  const S = {
    score, formatPoints, Frac, ZERO, ONE, strip, isDict, get, isBlank, isStrings, ids, keyList, isEmpty,
    invalid, unanswered, graded, plural, checkIdList, selectCredit, selectLike,
  };

  // ------------------------------------------------------------------------------------------------ the widget

  const WORDS = {
    correct: "Correct", partial: "Partly correct", incorrect: "Incorrect", unanswered: "Not answered yet",
    invalid: "Could not check this answer", ungraded: "Saved for your teacher",
  };
  const ICONS = { correct: "✓", partial: "◐", incorrect: "✗", unanswered: "○", invalid: "!", ungraded: "✎" };
  const CORRECT_MARK = "✓ Correct answer";

  /** @param {string} tag @param {string} [cls] @param {string} [text] */
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Checked values of the inputs under `scope`, in page order. @param {ParentNode} scope @returns {string[]} */
  const checked = (scope) => Array.from(scope.querySelectorAll("input:checked"), (i) => /** @type {any} */ (i).value);

  /** @param {ParentNode} scope @param {string[]} values */
  function setChecked(scope, values) {
    for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (scope.querySelectorAll("input[type=radio], input[type=checkbox]"))) {
      box.checked = values.includes(box.value);
    }
  }

  /** A fraction ("p/q", number or Frac) as text for people, falling back to the raw value. @param {any} value */
  function points(value) {
    try {
      return formatPoints(typeof value === "string" || typeof value === "number" ? Frac.from(value) : value);
    } catch (_) {
      return String(value);
    }
  }

  /** @param {any} earned @param {any} possible */
  function pointsText(earned, possible) {
    const max = points(possible);
    return `${points(earned)} of ${max} point${max === "1" ? "" : "s"}`;
  }

  /** Text in curly quotes, unless it already starts with a quotation mark. @param {string} text */
  const quoted = (text) => (/^["“‘']/.test(text) ? text : `“${text}”`);

  /** The element in `list` with this id. @param {any} list @param {string} id */
  const find = (list, id) => (Array.isArray(list) ? list.find((o) => o.id === id) : undefined);

  /** Whether a saved or loaded response fits the shape of its type (ARCHITECTURE.md, Formats). @param {string} type @param {unknown} r */
  const fitsType = (type, r) => !!spec(type) && spec(type).fits(r);

  class ItemWidget {
    /** @param {HTMLElement} section @param {Context} ctx */
    constructor(section, ctx) {
      this.section = section;
      this.ctx = ctx;
      this.id = section.dataset.swId || "";
      this.type = section.dataset.swType || "";
      this.hash = section.dataset.swHash || "";
      this.spec = spec(this.type);
      this.form = /** @type {HTMLFormElement} */ (section.querySelector("form.sw-form"));
      this.feedback = /** @type {HTMLElement} */ (section.querySelector(".sw-feedback"));
      // An order item always has an arrangement; it counts as an answer only once the student moved an event,
      // pressed Check or Save, or an answer was restored.
      this.touched = false;
      /** @type {ItemData | null} */
      this.data = null;
      try {
        this.data = JSON.parse(/** @type {HTMLElement} */ (section.querySelector("script.sw-data")).textContent || "");
      } catch (_) {
        this.data = null;
      }
    }

    /** Attach the event handlers. */
    wire() {
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (this.ctx.edition === "assessment") this.saveNow();
        else this.check();
      });
      this.form.addEventListener("change", () => this.persist());
      this.form.addEventListener("input", () => this.persist());
      this.form.addEventListener("click", (event) => {
        const button = /** @type {HTMLButtonElement | null} */ (/** @type {Element} */ (event.target).closest("button"));
        if (!button || button.type === "submit" || (this.spec && this.spec.click && this.spec.click(this, button))) return;
        if (button.dataset.swAction === "reset") this.tryAgain();
        else if (button.dataset.swAction === "show") this.showAnswer();
      });
    }

    /** The response as the controls hold it, or null when nothing is answered. */
    read() {
      return this.spec ? this.spec.read(this.form, this) : null;
    }

    /**
     * Restore the saved answer, if any; a damaged or foreign entry is ignored and the item says so.
     * @returns {boolean} whether an answer was restored
     */
    restore() {
      const result = this.ctx.storage.read(this.id);
      if (result.state === "none") return false;
      if (result.state !== "ok") {
        return this.notice("A saved answer for this question could not be read, so it was set aside. Answer it again.");
      }
      if (result.record.itemHash !== this.hash) {
        return this.notice("This question has changed since you answered it, so your earlier answer was set aside.");
      }
      return this.accept(result.record.response);
    }

    /** Show a response from storage or a loaded file; false if it does not fit this item. @param {unknown} response */
    accept(response) {
      if (!fitsType(this.type, response)) {
        return this.notice("A saved answer for this question did not fit it, so it was set aside. Answer it again.");
      }
      try {
        this.spec.write(this.form, response, this);
        return (this.touched = true);
      } catch (_) {
        return this.notice("A saved answer for this question could not be shown, so it was set aside.");
      }
    }

    /** Save the current answer (a changed answer drops any earlier score). @param {any} [result] its score */
    persist(result) {
      const response = this.read();
      if (response === null) this.ctx.storage.remove(this.id);
      else {
        this.ctx.storage.write(this.id, {
          response, itemHash: this.hash, savedAt: new Date().toISOString(),
          ...(result && { score: { earned: String(result.earned), possible: String(result.possible), status: result.status } }),
        });
      }
      this.ctx.onChange(this.id);
      return response;
    }

    /** Assessment edition: save and confirm in words. */
    saveNow() {
      this.touched = true;
      const none = this.persist() === null;
      const ok = this.ctx.storage.available;
      this.say(none ? "○" : "✓", none ? "Nothing to save yet" : ok ? "Saved" : "Not saved",
        none ? "Answer the question, then press Save answer."
          : ok ? "Your answer is saved in this browser. Download your answers to hand them in."
            : "This browser cannot save it; download your answers before you leave.");
    }

    /** Practice and instructor editions: score the answer, save it with its score, explain the result. */
    check() {
      if (!this.spec || !this.data) {
        this.say("!", "Cannot check", "Checking is not available on this page; your answer is still saved.");
        return;
      }
      this.touched = true;
      const response = this.read();
      const result = score(this.data, response);
      this.persist(result);
      const status = /** @type {keyof WORDS} */ (result.status);
      this.section.dataset.swResult = status;
      const scored = !["unanswered", "invalid", "ungraded"].includes(status);
      this.say(ICONS[status] || "!", WORDS[status] || status, scored ? pointsText(result.earned, result.possible) : "",
        result.reason, ...this.explain(response, result));
    }

    /**
     * Per-choice feedback for what the student chose (the type's part), then the item's explanation.
     * @param {any} r @param {Score} result @returns {string[]}
     */
    explain(r, result) {
      const d = this.data || {};
      /** @type {string[]} */
      const lines = [];
      /** @param {any} opt @param {string} [prefix] */
      const chose = (opt, prefix = "You chose") => {
        if (opt && opt.feedback) lines.push(`${prefix} ${quoted(opt.text)}: ${opt.feedback}`);
      };
      if (r === null || result.status === "invalid") return lines;
      if (this.spec.explain) this.spec.explain(d, r, result, lines, chose);
      if (d.explanation && result.status !== "unanswered") lines.push(`Why: ${d.explanation}`);
      return lines;
    }

    /** Clear the feedback and shown answers; keep the answer so it can be changed. */
    tryAgain() {
      this.clearShown();
      delete this.section.dataset.swResult;
      this.feedback.replaceChildren();
      this.persist(); // re-saving drops the old score
      const first = /** @type {HTMLElement | null} */ (this.form.querySelector("input, textarea, .sw-span, .sw-move"));
      if (first) first.focus();
    }

    clearShown() {
      for (const shown of Array.from(this.section.querySelectorAll(".sw-shown"))) shown.remove();
    }

    /** Mark the keyed options with text and say where; answers that are not options go into the feedback. */
    showAnswer() {
      const d = this.data;
      if (!d || !this.spec) return;
      this.clearShown();
      /** @param {ParentNode} scope @param {unknown} key */
      const mark = (scope, key) => {
        for (const id of keyList(key)) {
          const option = scope.querySelector(`.sw-option[data-sw-option="${CSS.escape(id)}"]`);
          if (option && !option.querySelector(".sw-key-mark")) option.append(el("span", "sw-key-mark sw-shown", CORRECT_MARK));
        }
      };
      /** @type {string[]} */
      const lines = [];
      this.spec.show(d, this.form, lines, mark);
      this.say("ℹ", "Answer shown", this.spec.marks ? `each correct choice is now marked “${CORRECT_MARK}”.` : "",
        ...lines, ...(d.explanation ? [`Why: ${d.explanation}`] : []));
    }

    /** A notice in the status region (restore problems); returns false. @param {string} message */
    notice(message) {
      this.say("!", "Note", message);
      return false;
    }

    /**
     * Replace the status region's content: a heading line (icon + word + first text), then one paragraph per line.
     * @param {string} icon @param {string} word @param {string[]} texts
     */
    say(icon, word, ...texts) {
      const [first, ...rest] = texts.filter((t) => t);
      const head = el("p", "sw-fb-head");
      const mark = el("span", "sw-icon", icon);
      mark.setAttribute("aria-hidden", "true");
      head.append(mark, el("strong", "sw-fb-word", word));
      if (first) head.append(`: ${first}`);
      this.feedback.replaceChildren(head, ...rest.map((t) => el("p", "sw-fb-line", t)));
    }
  }

  /**
   * Wire every item under `scope` and restore saved answers.
   * @param {ParentNode} scope @param {Context} ctx @returns {Map<string, ItemWidget>}
   */
  function wireAll(scope, ctx) {
    const widgets = new Map();
    for (const section of Array.from(scope.querySelectorAll("section.sw-item"))) {
      const widget = new ItemWidget(/** @type {HTMLElement} */ (section), ctx);
      widget.wire();
      widget.restore();
      widgets.set(widget.id, widget);
    }
    return widgets;
  }

  root.SourceworkScoring = S;
  root.SourceworkTypes = {
    /** @param {string} type @param {any} typeSpec */
    register(type, typeSpec) { TYPES[type] = typeSpec; },
  };
  root.SourceworkItems = { wireAll, fitsType, ItemWidget, pointsText, points, checked, setChecked, el, find, quoted };
})(/** @type {any} */ (globalThis));
