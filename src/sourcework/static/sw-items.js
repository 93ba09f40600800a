// @ts-check
/**
 * sw-items.js: one exercise item on the page (a `section.sw-item` rendered by sourcework.core.render).
 *
 * Reads and writes a response from and to the item's native controls, saves it through SourceworkStorage as the
 * student works, and in the practice and instructor editions checks it with SourceworkScoring and writes the
 * feedback into the item's role=status region. Right and wrong are always said in words with an icon, never by
 * colour alone. All text reaches the page through textContent, never as HTML.
 */
(function (root) {
  "use strict";

  const WORDS = {
    correct: "Correct", partial: "Partly correct", incorrect: "Incorrect", unanswered: "Not answered yet",
    invalid: "Could not check this answer", ungraded: "Saved for your teacher",
  };
  const ICONS = { correct: "✓", partial: "◐", incorrect: "✗", unanswered: "○", invalid: "!", ungraded: "✎" };
  const CORRECT_MARK = "✓ Correct answer";

  /**
   * @typedef {{[key: string]: any}} ItemData
   * @typedef {{edition: string, storage: any, onChange: (id: string) => void}} Context
   */

  /** @param {unknown} v @returns {v is Record<string, unknown>} */
  const isDict = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  /** @param {unknown} v */
  const isStrings = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");

  /**
   * Whether a saved or loaded response has the shape of this type's responses (ARCHITECTURE.md, Formats).
   * @param {string} type @param {unknown} r
   */
  function fitsType(type, r) {
    switch (type) {
      case "choice": case "numeric": return typeof r === "string";
      case "select": case "mark": case "order": return isStrings(r);
      case "grid": return isDict(r) && Object.values(r).every((v) => typeof v === "string" || isStrings(v));
      case "two-part": return isDict(r) && Object.entries(r).every(([k, v]) => (k === "a" || k === "b") &&
        (typeof v === "string" || v === null));
      case "response": return isDict(r) && (r.text === undefined || typeof r.text === "string") &&
        (r.self === undefined || isDict(r.self));
      default: return false;
    }
  }

  /** @param {string} tag @param {string} [cls] @param {string} [text] */
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Checked values of the inputs under `scope`, in page order. @param {ParentNode} scope */
  const checked = (scope) => Array.from(scope.querySelectorAll("input:checked"))
    .map((i) => /** @type {HTMLInputElement} */ (i).value);

  /** @param {ParentNode} scope @param {string[]} values */
  function setChecked(scope, values) {
    for (const input of Array.from(scope.querySelectorAll("input[type=radio], input[type=checkbox]"))) {
      const box = /** @type {HTMLInputElement} */ (input);
      box.checked = values.includes(box.value);
    }
  }

  /** A fraction as text for people: SourceworkScoring.formatPoints, falling back to the raw value. */
  function points(/** @type {any} */ value) {
    const S = root.SourceworkScoring;
    try {
      const frac = typeof value === "string" || typeof value === "number" ? S.Frac.from(value) : value;
      return S.formatPoints(frac);
    } catch (_) {
      return String(value);
    }
  }

  /** @param {any} earned @param {any} possible */
  function pointsText(earned, possible) {
    const max = points(possible);
    return `${points(earned)} of ${max} point${max === "1" ? "" : "s"}`;
  }

  class ItemWidget {
    /** @param {HTMLElement} section @param {Context} ctx */
    constructor(section, ctx) {
      this.section = section;
      this.ctx = ctx;
      this.id = section.dataset.swId || "";
      this.type = section.dataset.swType || "";
      this.hash = section.dataset.swHash || "";
      this.form = /** @type {HTMLFormElement} */ (section.querySelector("form.sw-form"));
      this.feedback = /** @type {HTMLElement} */ (section.querySelector(".sw-feedback"));
      // An order item always has an arrangement; it counts as an answer only once the student moved an event,
      // pressed Check or Save, or an answer was restored.
      this.touched = false;
      /** @type {ItemData | null} */
      this.data = null;
      try {
        const script = section.querySelector("script.sw-data");
        this.data = script ? JSON.parse(script.textContent || "") : null;
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
        const target = /** @type {HTMLElement} */ (event.target);
        const button = /** @type {HTMLButtonElement | null} */ (target.closest("button"));
        if (!button || button.type === "submit") return;
        if (button.classList.contains("sw-span")) this.toggleSpan(button);
        else if (button.dataset.swMove) this.move(button);
        else if (button.dataset.swAction === "reset") this.tryAgain();
        else if (button.dataset.swAction === "show") this.showAnswer();
      });
    }

    /** The response as the controls hold it, or null when nothing is answered. */
    read() {
      const f = this.form;
      switch (this.type) {
        case "choice": return checked(f)[0] ?? null;
        case "select": { const v = checked(f); return v.length ? v : null; }
        case "mark": {
          const v = Array.from(f.querySelectorAll(".sw-span[aria-pressed=true]"))
            .map((b) => /** @type {HTMLElement} */ (b).dataset.swSpan || "");
          return v.length ? v : null;
        }
        case "numeric": {
          const value = /** @type {HTMLInputElement} */ (f.querySelector("input.sw-number")).value;
          return value.trim() ? value : null;
        }
        case "order": return !this.touched ? null : Array.from(f.querySelectorAll("li[data-sw-event]"))
          .map((li) => /** @type {HTMLElement} */ (li).dataset.swEvent || "");
        case "grid": return this.readGrid();
        case "two-part": {
          /** @type {Record<string, string>} */
          const r = {};
          for (const part of Array.from(f.querySelectorAll("[data-sw-part]"))) {
            const v = checked(part)[0];
            if (v !== undefined) r[/** @type {HTMLElement} */ (part).dataset.swPart || ""] = v;
          }
          return Object.keys(r).length ? r : null;
        }
        case "response": return this.readResponse();
        default: return null;
      }
    }

    readGrid() {
      /** @type {Record<string, string | string[]>} */
      const r = {};
      for (const row of Array.from(this.form.querySelectorAll("tr[data-sw-row]"))) {
        const v = checked(row);
        if (!v.length) continue;
        const multi = !!row.querySelector("input[type=checkbox]");
        r[/** @type {HTMLElement} */ (row).dataset.swRow || ""] = multi ? v : v[0];
      }
      return Object.keys(r).length ? r : null;
    }

    readResponse() {
      const text = /** @type {HTMLTextAreaElement} */ (this.form.querySelector("textarea")).value;
      /** @type {Record<string, number>} */
      const self = {};
      for (const group of Array.from(this.form.querySelectorAll("[data-sw-criterion]"))) {
        const v = checked(group)[0];
        if (v !== undefined) self[/** @type {HTMLElement} */ (group).dataset.swCriterion || ""] = Number(v);
      }
      if (!text.trim() && !Object.keys(self).length) return null;
      return Object.keys(self).length ? { text, self } : { text };
    }

    /** Put a response back into the controls (its shape was checked by fitsType). @param {any} r */
    write(r) {
      const f = this.form;
      switch (this.type) {
        case "choice": setChecked(f, [r]); break;
        case "select": setChecked(f, r); break;
        case "mark":
          for (const b of Array.from(f.querySelectorAll(".sw-span"))) {
            b.setAttribute("aria-pressed", String(r.includes(/** @type {HTMLElement} */ (b).dataset.swSpan)));
          }
          break;
        case "numeric": /** @type {HTMLInputElement} */ (f.querySelector("input.sw-number")).value = r; break;
        case "order": {
          const list = /** @type {HTMLElement} */ (f.querySelector("ol.sw-order"));
          const items = Array.from(list.querySelectorAll("li[data-sw-event]"));
          const rank = (/** @type {Element} */ li) => {
            const i = r.indexOf(/** @type {HTMLElement} */ (li).dataset.swEvent);
            return i < 0 ? r.length : i; // events the saved answer lacks go last
          };
          items.sort((x, y) => rank(x) - rank(y)).forEach((li) => list.appendChild(li));
          break;
        }
        case "grid":
          for (const row of Array.from(f.querySelectorAll("tr[data-sw-row]"))) {
            const v = r[/** @type {HTMLElement} */ (row).dataset.swRow || ""];
            setChecked(row, v === undefined ? [] : typeof v === "string" ? [v] : v);
          }
          break;
        case "two-part":
          for (const part of Array.from(f.querySelectorAll("[data-sw-part]"))) {
            const v = r[/** @type {HTMLElement} */ (part).dataset.swPart || ""];
            setChecked(part, typeof v === "string" ? [v] : []);
          }
          break;
        case "response": {
          /** @type {HTMLTextAreaElement} */ (f.querySelector("textarea")).value = r.text || "";
          for (const group of Array.from(f.querySelectorAll("[data-sw-criterion]"))) {
            const v = (r.self || {})[/** @type {HTMLElement} */ (group).dataset.swCriterion || ""];
            setChecked(group, v === undefined ? [] : [String(v)]);
          }
          break;
        }
      }
    }

    /**
     * Restore the saved answer, if any; a damaged or foreign entry is ignored and the item says so.
     * @returns {boolean} whether an answer was restored
     */
    restore() {
      const result = this.ctx.storage.read(this.id);
      if (result.state === "none") return false;
      if (result.state === "corrupt" || result.state === "foreign") {
        this.notice("A saved answer for this question could not be read, so it was set aside. Answer it again.");
        return false;
      }
      const record = result.record;
      if (record.itemHash !== this.hash) {
        this.notice("This question has changed since you answered it, so your earlier answer was set aside.");
        return false;
      }
      return this.accept(record.response);
    }

    /**
     * Show a response from storage or a loaded file; false if it does not fit this item.
     * @param {unknown} response
     */
    accept(response) {
      if (!fitsType(this.type, response)) {
        this.notice("A saved answer for this question did not fit it, so it was set aside. Answer it again.");
        return false;
      }
      try {
        this.write(response);
        this.touched = true;
        return true;
      } catch (_) {
        this.notice("A saved answer for this question could not be shown, so it was set aside.");
        return false;
      }
    }

    /** Save the current answer (a changed answer drops any earlier score). */
    persist() {
      const response = this.read();
      if (response === null) this.ctx.storage.remove(this.id);
      else this.ctx.storage.write(this.id, { response, itemHash: this.hash, savedAt: new Date().toISOString() });
      this.ctx.onChange(this.id);
    }

    /** Assessment edition: save and confirm in words. */
    saveNow() {
      this.touched = true;
      const response = this.read();
      this.persist();
      const ok = this.ctx.storage.available;
      this.say(response === null ? "○" : "✓",
        response === null ? "Nothing to save yet" : ok ? "Saved" : "Not saved",
        response === null ? "Answer the question, then press Save answer."
          : ok ? "Your answer is saved in this browser. Download your answers to hand them in."
            : "This browser cannot save it; download your answers before you leave.");
    }

    /** Practice and instructor editions: score the answer and explain the result. */
    check() {
      const S = root.SourceworkScoring;
      if (!S || !this.data) {
        this.say("!", "Cannot check", "Checking is not available on this page; your answer is still saved.");
        return;
      }
      this.touched = true;
      const response = this.read();
      const result = S.score(this.data, response);
      this.persist();
      if (response !== null && this.ctx.storage.available) {
        this.ctx.storage.write(this.id, {
          response, itemHash: this.hash, savedAt: new Date().toISOString(),
          score: { earned: String(result.earned), possible: String(result.possible), status: result.status },
        });
        this.ctx.onChange(this.id);
      }
      this.section.dataset.swResult = result.status;
      const word = WORDS[/** @type {keyof WORDS} */ (result.status)] || result.status;
      const icon = ICONS[/** @type {keyof ICONS} */ (result.status)] || "!";
      const lines = this.explain(response, result);
      const scored = !["unanswered", "invalid", "ungraded"].includes(result.status);
      this.say(icon, word, scored ? pointsText(result.earned, result.possible) : "", result.reason, ...lines);
    }

    /**
     * Per-choice feedback for what the student chose, then the item's explanation.
     * @param {any} r @param {any} result @returns {string[]}
     */
    explain(r, result) {
      const d = this.data || {};
      /** @param {any[]} list @param {string} id */
      const find = (list, id) => (Array.isArray(list) ? list.find((o) => o.id === id) : undefined);
      /** @type {string[]} */
      const lines = [];
      /** @param {any} opt @param {string} [prefix] */
      const chose = (opt, prefix = "You chose") => {
        if (opt && opt.feedback) lines.push(`${prefix} ${quoted(opt.text)}: ${opt.feedback}`);
      };
      if (r === null || result.status === "invalid") return lines;
      if (this.type === "choice") chose(find(d.options, r));
      if (this.type === "select") r.forEach((/** @type {string} */ id) => chose(find(d.options, id)));
      if (this.type === "mark") r.forEach((/** @type {string} */ id) => chose(find(d.spans, id), "You marked"));
      if (this.type === "two-part") {
        for (const name of ["a", "b"]) {
          const part = d[`part_${name}`];
          const verdict = result.details && name in result.details ? (result.details[name] ? " (right)" : " (not right)") : "";
          if (part && r[name]) chose(find(part.options, r[name]), `Part ${name.toUpperCase()}${verdict}: you chose`);
        }
      }
      if (this.type === "grid") {
        const credits = (result.details && result.details.rows) || {};
        for (const row of d.rows || []) {
          if (!(row.id in r)) continue;
          const c = credits[row.id] ? String(credits[row.id]) : "";
          const verdict = c === "1" ? "right" : c === "0" ? "not right" : c ? "partly right" : "";
          lines.push(`${quoted(row.text)}${verdict ? `: ${verdict}` : ""}.${row.feedback ? ` ${row.feedback}` : ""}`);
        }
      }
      if (this.type === "numeric" || this.type === "order") {
        const text = (d.outcome_feedback || {})[result.status === "correct" ? "correct"
          : this.type === "order" && result.status === "partial" ? "partial" : "incorrect"];
        if (text) lines.push(text);
      }
      if (this.type === "response" && result.details && result.details.self) {
        const total = Object.values(result.details.self).reduce((a, b) => a + Number(b), 0);
        lines.push(`Your self-rating: ${total} of ${points(result.possible)} points (reported apart from your score).`);
      }
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
      for (const mark of Array.from(this.section.querySelectorAll(".sw-shown"))) mark.remove();
    }

    /** Mark the keyed options with text and say where; answers that are not options go into the feedback. */
    showAnswer() {
      const d = this.data;
      if (!d) return;
      this.clearShown();
      /** @param {ParentNode} scope @param {unknown} key */
      const mark = (scope, key) => {
        for (const id of typeof key === "string" ? [key] : Array.isArray(key) ? key : []) {
          const option = scope.querySelector(`.sw-option[data-sw-option="${CSS.escape(id)}"]`);
          if (option && !option.querySelector(".sw-key-mark")) option.appendChild(el("span", "sw-key-mark sw-shown", CORRECT_MARK));
        }
      };
      /** @type {string[]} */
      const lines = [];
      if (this.type === "choice" || this.type === "select") mark(this.form, d.key);
      if (this.type === "two-part") {
        for (const name of ["a", "b"]) {
          const part = this.form.querySelector(`[data-sw-part="${name}"]`);
          if (part && d[`part_${name}`]) mark(part, d[`part_${name}`].key);
        }
      }
      if (this.type === "grid") {
        for (const row of d.rows || []) {
          const tr = this.form.querySelector(`tr[data-sw-row="${CSS.escape(row.id)}"]`);
          if (tr) mark(tr, row.key);
        }
      }
      if (this.type === "mark") {
        for (const id of d.key || []) {
          const button = this.form.querySelector(`.sw-span[data-sw-span="${CSS.escape(id)}"]`);
          if (button) button.after(el("span", "sw-key-mark sw-shown", " (✓ correct)"));
        }
      }
      if (this.type === "numeric") lines.push(`The answer is ${decimal(d.answer)}${d.unit ? ` ${d.unit}` : ""}.`);
      if (this.type === "order") {
        const text = (/** @type {string} */ id) => ((d.events || []).find((/** @type {any} */ e) => e.id === id) || { text: id }).text;
        (d.key || []).forEach((/** @type {string} */ id, /** @type {number} */ i) => lines.push(`${i + 1}. ${text(id)}`));
      }
      if (this.type === "response") {
        for (const c of d.rubric || []) {
          const top = (c.levels || []).reduce((/** @type {any} */ a, /** @type {any} */ b) =>
            (b.points > a.points ? b : a), { points: -1 });
          // Anchor answers ship only in the instructor edition; elsewhere the top level's descriptor guides.
          if (top.anchor) lines.push(`${c.criterion}, ${top.label}: ${top.anchor}`);
          else if (top.descriptor) lines.push(`${c.criterion}, ${top.label}: ${top.descriptor}`);
        }
      }
      const intro = ["choice", "select", "two-part", "grid", "mark"].includes(this.type)
        ? `each correct choice is now marked “${CORRECT_MARK}”.` : "";
      this.say("ℹ", "Answer shown", intro, ...lines, ...(d.explanation ? [`Why: ${d.explanation}`] : []));
    }

    /** @param {HTMLButtonElement} button */
    toggleSpan(button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
      this.persist();
    }

    /** Move an event one place, keeping focus on the pressed button so keyboard users can keep going. */
    move(/** @type {HTMLButtonElement} */ button) {
      const li = /** @type {HTMLElement} */ (button.closest("li"));
      const list = /** @type {HTMLElement} */ (li.parentElement);
      const up = button.dataset.swMove === "up";
      const other = up ? li.previousElementSibling : li.nextElementSibling;
      const status = this.section.querySelector(".sw-order-status");
      const text = (li.querySelector(".sw-event-text") || li).textContent;
      if (other) {
        this.touched = true;
        if (up) list.insertBefore(li, other);
        else list.insertBefore(other, li);
      }
      button.focus();
      const position = Array.from(list.children).indexOf(li) + 1;
      if (status) {
        status.textContent = other ? `“${text}” moved to position ${position} of ${list.children.length}.`
          : `“${text}” is already ${up ? "first" : "last"}.`;
      }
      if (other) this.persist();
    }

    /** A notice in the status region (restore problems). @param {string} message */
    notice(message) {
      this.say("!", "Note", message);
    }

    /**
     * Replace the status region's content: a heading line (icon + word + first text), then one paragraph per line.
     * @param {string} icon @param {string} word @param {string[]} texts
     */
    say(icon, word, ...texts) {
      const [first, ...rest] = texts.filter((t) => t);
      const head = el("p", "sw-fb-head");
      head.append(el("span", "sw-icon", icon), el("strong", "sw-fb-word", word));
      if (first) head.append(`: ${first}`);
      head.querySelector(".sw-icon")?.setAttribute("aria-hidden", "true");
      const nodes = [head, ...rest.map((t) => el("p", "sw-fb-line", t))];
      this.feedback.replaceChildren(...nodes);
    }
  }

  /** Text in curly quotes, unless it already starts with a quotation mark. @param {string} text */
  const quoted = (text) => (/^["“‘']/.test(text) ? text : `“${text}”`);

  /** A "p/q", integer or decimal string as a short decimal. @param {unknown} value */
  function decimal(value) {
    const S = root.SourceworkScoring;
    const f = S && S.Frac ? S.Frac.from(value ?? 0) : null;
    if (!f) return String(value);
    const x = Number(f.n) / Number(f.d);
    return String(Math.round(x * 1e6) / 1e6);
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

  root.SourceworkItems = { wireAll, fitsType, ItemWidget, pointsText, points };
})(/** @type {any} */ (globalThis));
