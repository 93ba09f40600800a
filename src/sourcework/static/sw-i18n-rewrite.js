// @ts-check
/**
 * sw-i18n-rewrite.js: the half of the interface language that rewrites the page, loaded by sw-i18n.js (with the whole
 * catalogs, sw-messages.js) the first time a reader chooses another language than English, or opens a page with that
 * choice remembered. A page shown in English never loads it: the build writes every page's interface words in English.
 *
 * The markup written by the Python side in English (buttons, legends, labels, the set toolbar) is matched once
 * against the English catalog's "ui.*", "theme.*" and "reason.*" texts (a text with {placeholders} matches with any
 * words in their place), and each matched text node or attribute is rewritten in the chosen language; elements built
 * with a data-sw-msg="key" (or data-sw-msg-label) attribute are rewritten too, and marked with lang="es".
 */
(function (root) {
  "use strict";

  const i18n = root.SourceworkI18n;
  const { t, mark } = i18n;
  /** @type {Record<string, Record<string, string>>} */
  const M = root.SourceworkMessages;

  /** @param {string} s */
  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  /** English "ui.*"/"theme.*" texts: exact ones in a map, those with placeholders as patterns (made on first use:
   * a page shown in English never needs them). */
  const EXACT = new Map();
  /** @type {{key: string, re: RegExp, names: string[]}[]} */
  const PATTERNS = [];
  function compile() {
    for (const [key, words] of Object.entries(M.en || {})) {
      if (!/^(ui|theme|reason)\./.test(key)) continue;
      if (!/\{\w+\}/.test(words)) {
        EXACT.set(words, key);
        continue;
      }
      /** @type {string[]} */
      const names = [];
      const re = new RegExp("^" + words.split(/(\{\w+\})/).map((part) => {
        const name = /^\{(\w+)\}$/.exec(part);
        if (!name) return escapeRe(part);
        names.push(name[1]);
        return "(.+?)";
      }).join("") + "$", "s");
      PATTERNS.push({ key, re, names });
    }
  }

  /**
   * The key and values of an English text, or null. @param {string} text
   * @returns {{key: string, values?: Record<string, string>} | null}
   */
  function match(text) {
    if (!EXACT.size) compile();
    const key = EXACT.get(text);
    if (key) return { key };
    for (const pattern of PATTERNS) {
      const found = pattern.re.exec(text);
      if (found) return { key: pattern.key, values: Object.fromEntries(pattern.names.map((n, i) => [n, found[i + 1]])) };
    }
    return null;
  }

  /**
   * The scorer's sentence in the current language. The scorer writes it in English, word for word as the Python
   * grader does (the shared vectors pin it); in another language the list types' sentence is rewritten from the
   * score's details (the counts), and a fixed sentence is looked up among the "reason.*" texts.
   * @param {string} text @param {any} [d] the item @param {any} [result] its score @returns {string}
   */
  function reason(text, d, result) {
    if (i18n.lang() === "en") return text;
    const counts = d && result ? countsSentence(d, result) : "";
    if (counts) return counts;
    const found = match(text);
    return found && found.key.startsWith("reason.") ? t(found.key, found.values) : text;
  }

  /** A list type's sentence from the score's counts, or "" for another type. @param {any} d @param {any} result */
  function countsSentence(d, result) {
    const { Frac, ZERO, ONE, isDict } = root.SourceworkScoring;
    const x = result.details || {};
    if (!["correct", "partial", "incorrect"].includes(result.status)) return "";
    let counts = "";
    if ((d.type === "select" || d.type === "mark") && "keyed" in x) {
      counts = t("score.counts." + d.type, { right: x.right, keyed: x.keyed, wrong: x.wrong });
    } else if (d.type === "grid" && isDict(x.rows)) {
      /** @type {any[]} */
      const credits = Object.values(x.rows);
      const full = credits.filter((c) => c.cmp(ONE) === 0).length;
      const part = credits.filter((c) => c.cmp(ZERO) > 0 && c.cmp(ONE) < 0).length;
      counts = t(part ? "score.counts.grid_part" : "score.counts.grid", { full, part, rows: credits.length });
    } else if (d.type === "order" && "pairs" in x) {
      counts = t("score.counts.order", { right: x.pairs_right, pairs: x.pairs });
    }
    if (!counts) return "";
    let outcome;
    if (result.status === "correct") outcome = t("score.all");
    else if (result.status === "incorrect") outcome = t(x.right > 0 ? "score.cancel" : "score.none");
    else outcome = t("score.share", { share: String(result.earned.mul(new Frac(result.possible.d, result.possible.n))) });
    return counts + t("feedback.colon") + outcome;
  }

  /**
   * A filled-in value in the current language when the catalog has "value.<name>.<value>" (a skill's name that the
   * Python side wrote in English), else the value as given. @param {string} name @param {any} v @returns {string}
   */
  const value = (name, v) => M[i18n.lang()]?.["value." + name + "." + String(v)] ?? String(v);

  // Where the Python side writes interface words; never the item's own words (stems, options, passages, events).
  const UI = ".sw-item legend, .sw-item label, .sw-item button, .sw-item th[scope=col], .sw-item caption, " +
    ".sw-item .sw-note-title, .sw-item .sw-key-mark, .sw-item .sw-key-answer, .sw-item .sw-item-number, " +
    ".sw-item .sw-item-meta > span, .sw-set, .sw-progress, " +
    ".skip-link, .bd-search, .onthispage, .sw-fallback-ui";
  const NOT_UI = ".sw-option-text, .sw-span, .sw-event-text, .sw-passage, th[scope=row], .sw-stem, .sw-feedback, " +
    ".sw-transfer-status, .sw-order-status, .sw-notice, .sw-progress-table, .sw-set-score, .sw-set-summary, " +
    ".sw-lang-switch, .sw-grid-heads, " +
    "input, textarea, .sw-option label, .sw-visually-hidden";
  const ATTRS = ["placeholder", "aria-label", "title"];
  /** @type {{node: Text, key: string, values?: Record<string, string>, lead: string, tail: string}[]} */
  const texts = [];
  /** @type {{el: Element, attr: string, key: string, values?: Record<string, string>}[]} */
  const attrs = [];
  /** @type {WeakSet<Node>} */
  const seen = new WeakSet();

  /** Find the English interface words under `scope` (once per node). @param {ParentNode} scope */
  function collect(scope) {
    for (const box of scope.querySelectorAll(UI)) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = /** @type {Element} */ (node.parentElement);
        if (seen.has(node) || !parent || parent.closest(NOT_UI)) continue;
        seen.add(node);
        const raw = /** @type {Text} */ (node).data;
        const found = raw.trim() && match(raw.trim());
        if (found) texts.push({ node: /** @type {Text} */ (node), ...found, lead: raw.match(/^\s*/)?.[0] || "", tail: raw.match(/\s*$/)?.[0] || "" });
      }
      for (const el of [box, ...box.querySelectorAll("[placeholder], [aria-label], [title]")]) {
        if (seen.has(el)) continue;
        seen.add(el);
        for (const attr of ATTRS) {
          const value = el.getAttribute(attr);
          const found = value && match(value.trim());
          if (found) attrs.push({ el, attr, ...found });
        }
      }
    }
  }

  /**
   * Each set toolbar's summary ("3 questions, 4 points in all. …"), written from its data attributes in the current
   * language (the edition from sw-main.js's settings). @param {ParentNode} scope
   */
  function summaries(scope) {
    const { tn } = i18n;
    const edition = root.Sourcework?.settings?.edition;
    for (const set of /** @type {NodeListOf<HTMLElement>} */ (scope.querySelectorAll(".sw-set"))) {
      const line = set.querySelector(".sw-set-summary");
      if (!line) continue;
      let count = 0;
      try {
        count = JSON.parse(set.dataset.swItems || "[]").length;
      } catch (_) { /* counted as none */ }
      const possible = root.SourceworkItems.points(set.dataset.swPossible || "0");
      line.textContent = tn("summary.questions", count) + ", " + tn("summary.points", possible === "1" ? 1 : 2,
        { points: possible }) + " " + t(edition === "assessment" ? "summary.assessment" : "summary.practice");
      mark(line);
    }
  }

  /** Rewrite every collected text, attribute and data-sw-msg element in the current language. @param {ParentNode} [scope] */
  function apply(scope = document) {
    collect(scope);
    if (root.SourceworkItems) summaries(scope);
    for (const entry of texts) {
      entry.node.data = entry.lead + t(entry.key, entry.values) + entry.tail;
      if (entry.node.parentElement) mark(entry.node.parentElement);
    }
    for (const entry of attrs) entry.el.setAttribute(entry.attr, t(entry.key, entry.values));
    for (const el of scope.querySelectorAll("[data-sw-msg]")) {
      el.textContent = t(/** @type {string} */ (el.getAttribute("data-sw-msg")));
      if (!el.closest("[lang=es]:not([data-sw-lang])")) mark(el);
    }
    for (const el of scope.querySelectorAll("[data-sw-msg-label]")) {
      el.setAttribute("aria-label", t(/** @type {string} */ (el.getAttribute("data-sw-msg-label"))));
    }
  }

  root.SourceworkI18nRewrite = { apply, match, reason, value };
})(/** @type {any} */ (globalThis));
