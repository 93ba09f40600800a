// @ts-check
/**
 * sw-core.js: what every exercise page needs, whatever its item types: the browser twin of
 * sourcework.core.scoring's shared part (exact fractions, the helpers, the dispatcher), the type registry, and the
 * item widget that reads, saves, restores, checks and explains one item (a `section.sw-item` rendered by
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
 *   marks: true                       Show answer marks options with the text of "ui.correct_mark"
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
    while (b) [a, b] = [b, a % b];
    return a < 0n ? -a : a;
  }

  /**
   * An exact fraction n/d, always normalised (d > 0, lowest terms), so equal values have equal fields. Only what
   * every page needs is here; a type that needs more arithmetic (numeric's difference) writes it in its own file.
   */
  class Frac {
    /** @param {bigint} n @param {bigint} [d] */
    constructor(n, d = 1n) {
      if (!d) throw new RangeError("zero denominator");
      const g = gcd(n, d);
      const sign = d < 0n ? -1n : 1n;
      this.n = (sign * n) / g;
      this.d = (sign * d) / g;
    }
    /** @param {Frac} o */ add(o) { return new Frac(this.n * o.d + o.n * this.d, this.d * o.d); }
    /** @param {Frac} o */ mul(o) { return new Frac(this.n * o.n, this.d * o.d); }
    /** @param {Frac} o @returns {number} -1, 0 or 1 */
    cmp(o) {
      const diff = this.n * o.d - o.n * this.d;
      return diff < 0n ? -1 : diff > 0n ? 1 : 0;
    }
    /** Same text as Python's str(Fraction): "p/q", or "p" when whole. */
    toString() { return this.n + (this.d === 1n ? "" : "/" + this.d); }
    /** @param {number} a @param {number} [b] */
    static of(a, b = 1) { return new Frac(BigInt(a), BigInt(b)); }
    /**
     * Read a fraction as items and saved scores write it: an integer, or a "p/q" string (a numeric item's decimals
     * are read by sw-type-numeric.js). @param {unknown} value @returns {Frac | null}
     */
    static from(value) {
      const text = typeof value === "number" || typeof value === "string" ? String(value) : "";
      const ratio = /^\s*([+-]?[0-9]+)(?:\s*\/\s*([0-9]+))?\s*$/.exec(text);
      return ratio && /[1-9]/.test(ratio[2] || "1") ? new Frac(BigInt(ratio[1]), BigInt(ratio[2] || 1)) : null;
    }
  }

  const ZERO = Frac.of(0);
  const ONE = Frac.of(1);

  // The same explicit whitespace set as the Python scorer (String.prototype.trim knows more characters).
  const TRIM = /^[ \t\n\r\f\v\u00a0\u202f]+|[ \t\n\r\f\v\u00a0\u202f]+$/g;

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
  const isBlank = (v) => v == null || (typeof v === "string" && !strip(v));
  /** @param {unknown} list @returns {Set<string>} */
  const ids = (list) => new Set(Array.isArray(list) ? list.map((x) => x.id) : []);
  /** @param {unknown} key @returns {string[]} */
  const keyList = (key) => (typeof key === "string" ? [key] : Array.isArray(key) ? key : []);
  /** @param {unknown} response */
  const isEmpty = (response) => isBlank(response) || (typeof response === "object" && !Object.keys(response).length);

  /** @param {Frac} possible @param {string} status @param {string} reason @returns {Score} */
  const zero = (possible, status, reason) => ({ earned: ZERO, possible, status, reason, details: {} });
  /** @param {Frac} possible @param {string} reason */
  const invalid = (possible, reason) => zero(possible, "invalid", reason);
  /** @param {Frac} possible */
  const unanswered = (possible) => zero(possible, "unanswered", "No answer given: no points.");

  /** @param {Frac} points @param {Frac} credit @param {string} reason @param {Record<string, any>} [details] */
  function graded(points, credit, reason, details = {}) {
    const status = credit.cmp(ONE) ? (credit.cmp(ZERO) ? "partial" : "incorrect") : "correct";
    return /** @type {Score} */ ({ earned: points.mul(credit), possible: points, status, reason, details });
  }

  /** @param {ItemData} item */
  const pointsOf = (item) => Frac.from(item.points ?? 1) || ONE;

  /** The registered item types: type name → spec (see the top of this file). @type {Map<string, any>} */
  const TYPES = new Map();
  /** @param {string} type */
  const spec = (type) => TYPES.get(type) || null;

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
    const negative = value.n < 0n;
    const hundredths = ((negative ? -value.n : value.n) * 200n + value.d) / (2n * value.d); // floor(|v|·100 + 1/2)
    const text = (hundredths / 100n + "." + String(hundredths % 100n).padStart(2, "0")).replace(/\.?0+$/, "");
    return negative && hundredths ? "-" + text : text;
  }

  /**
   * What type files use: the fractions and the scorer's shared helpers (sw-lists.js adds the list scorers' own,
   * on pages with a select, mark, grid or order item).
   */
  const S = { score, formatPoints, Frac, ZERO, ONE, strip, isDict, get, isBlank, ids, keyList, isEmpty, invalid,
    unanswered, graded };

  // ------------------------------------------------------------------------------------------------ the widget

  /**
   * The interface words, from the message catalogs (sw-i18n.js, loaded on every page with a widget).
   * @param {string} key @param {Record<string, any>} [values] @returns {string}
   */
  const t = (key, values) => root.SourceworkI18n.t(key, values);
  /** Each status's icon (decorative) and the catalog key of its words (which carry the meaning). */
  const RESULTS = {
    correct: ["✓", "result.correct"], partial: ["◐", "result.partial"], incorrect: ["✗", "result.incorrect"],
    unanswered: ["○", "result.unanswered"], invalid: ["!", "result.invalid"], ungraded: ["✎", "result.ungraded"],
  };
  /** The words that mark a keyed option when the answer is shown. */
  const correctMark = () => t("ui.correct_mark");

  /** @param {string} tag @param {string} [cls] @param {string} [text] */
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
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
      return formatPoints(value instanceof Frac ? value : Frac.from(value));
    } catch (_) {
      return String(value);
    }
  }

  /** @param {any} earned @param {any} possible */
  function pointsText(earned, possible) {
    const max = points(possible);
    return t(max === "1" ? "points.of.one" : "points.of.other", { earned: points(earned), possible: max });
  }

  /** Text in curly quotes, unless it already starts with a quotation mark. @param {string} text */
  const quoted = (text) => (/^["“‘']/.test(text) ? text : "“" + text + "”");

  /** The element in `list` with this id. @param {any} list @param {string} id */
  const find = (list, id) => (Array.isArray(list) ? list.find((o) => o.id === id) : undefined);

  /** Whether a saved or loaded response fits the shape of its type (ARCHITECTURE.md, Formats). @param {string} type @param {unknown} r */
  const fitsType = (type, r) => !!spec(type) && spec(type).fits(r);

  /**
   * One item's widget: wires its form and restores its saved answer. Returns what others use of it (the type files,
   * sw-submission.js, the tests): {id, type, hash, data, section, touched, read, accept, persist}.
   * @param {HTMLElement} section @param {Context} ctx
   */
  function itemWidget(section, ctx) {
    const { swId: id = "", swType: type = "", swHash: hash = "" } = section.dataset;
    const kind = spec(type);
    const form = /** @type {HTMLFormElement} */ (section.querySelector("form"));
    const feedback = /** @type {HTMLElement} */ (section.querySelector(".sw-feedback"));
    /** @type {ItemData | null} */
    let data = null;
    try {
      data = JSON.parse(/** @type {HTMLElement} */ (section.querySelector("script.sw-data")).textContent || "");
    } catch (_) { /* no data: Check says it cannot check */ }

    /**
     * Replace the status region's content: a heading line (icon + word + first text), then one paragraph per line.
     * @param {string} icon @param {string} word @param {string[]} texts
     */
    function say(icon, word, ...texts) {
      const [first, ...rest] = texts.filter((text) => text);
      const head = el("p");
      const mark = el("span", "sw-icon", icon);
      mark.setAttribute("aria-hidden", "true");
      head.append(mark, el("strong", "", word));
      if (first) head.append(t("feedback.colon") + first);
      root.SourceworkI18n.mark(head);
      feedback.replaceChildren(head, ...rest.map((text) => el("p", "", text)));
    }

    /**
     * What the status region shows, as a function that writes it in the current language: redrawn when the reader
     * switches the language (the "sourcework:lang" event). @type {(() => void) | null}
     */
    let shown = null;
    /** @param {() => void} draw */
    const show = (draw) => {
      shown = draw;
      draw();
    };
    document.addEventListener("sourcework:lang", () => {
      if (shown && feedback.childNodes.length) shown();
    });

    /** A notice in the status region (restore problems); returns false. @param {string} key its catalog key */
    function notice(key) {
      show(() => say("!", t("feedback.note"), t(key) + t("feedback.set_aside")));
      return false;
    }

    const clearShown = () => section.querySelectorAll(".sw-shown").forEach((shown) => shown.remove());

    const widget = {
      id, type, hash, data, section,
      // An order item always has an arrangement; it counts as an answer only once the student moved an event,
      // pressed Check or Save, or an answer was restored.
      touched: false,
      /** The response as the controls hold it, or null when nothing is answered. @returns {any} */
      read: () => (kind ? kind.read(form, widget) : null),
      /** Show a response from storage or a loaded file; false if it does not fit this item. @param {unknown} response */
      accept(response) {
        try {
          if (fitsType(type, response)) {
            kind.write(form, response, widget);
            return (widget.touched = true);
          }
        } catch (_) { /* said below */ }
        return notice("restore.does_not_fit");
      },
      /** Save the current answer (a changed answer drops any earlier score). @param {any} [result] its score */
      persist(result) {
        const response = widget.read();
        if (response === null) ctx.storage.remove(id);
        else {
          ctx.storage.write(id, {
            response, itemHash: hash, savedAt: new Date().toISOString(),
            ...(result && { score: { earned: String(result.earned), possible: String(result.possible), status: result.status } }),
          });
        }
        ctx.onChange(id);
        return response;
      },
    };

    /** Assessment edition: save and confirm in words. */
    function saveNow() {
      widget.touched = true;
      if (widget.persist() === null) show(() => say("○", t("save.nothing"), t("save.nothing_text")));
      else if (ctx.storage.available) show(() => say("✓", t("save.saved"), t("save.saved_text")));
      else show(() => say("!", t("save.not_saved"), t("save.not_saved_text")));
    }

    /** Practice and instructor editions: score the answer, save it with its score, explain the result. */
    function check() {
      if (!kind || !data) {
        show(() => say("!", t("check.cannot"), t("check.cannot_text")));
        return;
      }
      widget.touched = true;
      const response = widget.read();
      const result = score(data, response);
      const status = result.status;
      widget.persist(result);
      section.dataset.swResult = status;
      const [icon, word] = RESULTS[/** @type {keyof RESULTS} */ (status)];
      const scored = ["correct", "partial", "incorrect"].includes(status);
      const item = data;
      show(() => say(icon, t(word), scored ? pointsText(result.earned, result.possible) : "",
        root.SourceworkI18n.reason(result.reason, item, result), ...explain(item, response, result)));
    }

    /**
     * Per-choice feedback for what the student chose (the type's part), then the item's explanation.
     * @param {ItemData} d @param {any} r @param {Score} result @returns {string[]}
     */
    function explain(d, r, result) {
      /** @type {string[]} */
      const lines = [];
      /** @param {any} opt @param {string} [prefix] */
      const chose = (opt, prefix = t("feedback.you_chose")) => {
        if (opt?.feedback) lines.push(prefix + " " + quoted(opt.text) + t("feedback.colon") + opt.feedback);
      };
      if (r === null || result.status === "invalid") return lines;
      if (kind.explain) kind.explain(d, r, result, lines, chose);
      if (d.explanation && result.status !== "unanswered") lines.push(t("feedback.why") + d.explanation);
      return lines;
    }

    /** Clear the feedback and shown answers; keep the answer so it can be changed. */
    function tryAgain() {
      clearShown();
      delete section.dataset.swResult;
      shown = null;
      feedback.replaceChildren();
      widget.persist(); // re-saving drops the old score
      /** @type {HTMLElement | null} */ (form.querySelector("input, textarea, .sw-span, .sw-move"))?.focus();
    }

    /** Mark the keyed options with text and say where; answers that are not options go into the feedback. */
    function showAnswer() {
      if (!data || !kind) return;
      /** @param {ParentNode} scope @param {unknown} key */
      const mark = (scope, key) => {
        for (const id of keyList(key)) {
          const option = scope.querySelector(`.sw-option[data-sw-option="${CSS.escape(id)}"]`);
          if (option && !option.querySelector(".sw-key-mark")) option.append(el("span", "sw-key-mark sw-shown", correctMark()));
        }
      };
      const item = data;
      // Redrawn whole on a language switch: the marks too, in the new language.
      show(() => {
        clearShown();
        /** @type {string[]} */
        const lines = [];
        kind.show(item, form, lines, mark);
        if (item.explanation) lines.push(t("feedback.why") + item.explanation);
        say("ℹ", t("show.shown"), kind.marks ? t("show.marked", { mark: correctMark() }) : "", ...lines);
      });
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (ctx.edition === "assessment") saveNow();
      else check();
    });
    // "input" fires for typing and for every checkbox or radio the student changes, by mouse or by keyboard.
    form.addEventListener("input", () => widget.persist());
    form.addEventListener("click", (event) => {
      const button = /** @type {HTMLButtonElement | null} */ (/** @type {Element} */ (event.target).closest("button"));
      if (!button || button.type === "submit" || (kind?.click && kind.click(widget, button))) return;
      const action = button.dataset.swAction;
      if (action === "reset") tryAgain();
      else if (action === "show") showAnswer();
    });

    // Restore the saved answer, if any; a damaged or foreign entry is set aside and the item says so.
    const saved = ctx.storage.read(id); // undefined: nothing saved; null: damaged
    if (saved?.itemHash === hash) widget.accept(saved.response);
    else if (saved) notice("restore.changed");
    else if (saved === null) notice("restore.unreadable");
    return widget;
  }

  /**
   * Wire every item under `scope` and restore saved answers.
   * @param {ParentNode} scope @param {Context} ctx @returns {Map<string, any>}
   */
  function wireAll(scope, ctx) {
    const widgets = new Map();
    for (const section of scope.querySelectorAll("section.sw-item")) {
      const widget = itemWidget(/** @type {HTMLElement} */ (section), ctx);
      widgets.set(widget.id, widget);
    }
    return widgets;
  }

  root.SourceworkScoring = S;
  root.SourceworkTypes = {
    /** @param {string} type @param {any} typeSpec */
    register(type, typeSpec) { TYPES.set(type, typeSpec); },
  };
  root.SourceworkItems = { wireAll, fitsType, pointsText, points, checked, setChecked, el, find, quoted, t };
})(/** @type {any} */ (globalThis));
