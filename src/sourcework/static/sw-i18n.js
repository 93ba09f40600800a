// @ts-check
/**
 * sw-i18n.js: the interface language (English or Spanish) of the exercise widget, the source versions, the Listen
 * controls and the few theme strings. The words come from the message catalogs (static/messages/<lang>.json), which
 * the build ships as sw-messages.js (window.SourceworkMessages = {lang: {key: text}}), loaded just before this file.
 *
 * Scripts ask for words with SourceworkI18n.t("key", {name: value}) (and tn("key", count, values), which picks
 * "key.one" or "key.other"); the build fails when a key they ask for is missing in a catalog. The markup written by
 * the Python side in English (buttons, legends, labels, the set toolbar) is matched once against the English
 * catalog's "ui.*" and "theme.*" texts (a text with {placeholders} matches with any words in their place), and each
 * matched text node or attribute is rewritten in the chosen language; elements built with a data-sw-msg="key"
 * attribute are rewritten too. The reader's choice is kept in localStorage ("sourcework:lang"), applied at once, and
 * announced to the other scripts with the "sourcework:lang" event (they redraw what they wrote). Elements rewritten
 * in Spanish get lang="es". Nothing is fetched.
 */
(function (root) {
  "use strict";

  const STORE = "sourcework:lang";
  const LANGS = ["en", "es"];
  /** @type {Record<string, Record<string, string>>} */
  const M = root.SourceworkMessages || { en: {} };
  let lang = "en";
  try {
    const saved = root.localStorage.getItem(STORE);
    if (saved && LANGS.includes(saved)) lang = saved;
  } catch (_) { /* no storage: English */ }

  /**
   * The text of `key` in the current language, placeholders filled. @param {string} key
   * @param {Record<string, any>} [values] @returns {string}
   */
  function t(key, values) {
    const words = M[lang]?.[key] ?? M.en?.[key] ?? key;
    return values ? words.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? value(name, values[name]) : whole)) : words;
  }

  /**
   * A filled-in value in the current language when the catalog has "value.<name>.<value>" (a skill's name that the
   * Python side wrote in English), else the value as given. @param {string} name @param {any} v @returns {string}
   */
  const value = (name, v) => M[lang]?.["value." + name + "." + String(v)] ?? String(v);

  /** "key.one" when count is 1, else "key.other"; {count} is filled. @param {string} key @param {number} count @param {Record<string, any>} [values] */
  const tn = (key, count, values) => t(key + (count === 1 ? ".one" : ".other"), { count, ...values });

  // ----------------------------------------------------------------------------- markup written in English

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

  /** A sentence the scorer wrote in English (shared word for word with the Python grader), in the current language. @param {string} text */
  function reason(text) {
    const found = lang === "en" ? null : match(text);
    return found && found.key.startsWith("reason.") ? t(found.key, found.values) : text;
  }

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

  /** Mark an element as written in the current language (lang="es"), or drop the mark. @param {Element} el */
  function mark(el) {
    if (lang === "en") {
      if (el.getAttribute("lang") === "es" && el.hasAttribute("data-sw-lang")) el.removeAttribute("lang");
    } else {
      el.setAttribute("lang", lang);
      el.setAttribute("data-sw-lang", "");
    }
  }

  /** Rewrite every collected text, attribute and data-sw-msg element in the current language. @param {ParentNode} [scope] */
  function apply(scope = document) {
    collect(scope);
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

  // ------------------------------------------------------------------------------------------ the switch

  /** Wire the language switch (two toggle buttons after the page title, with a status line that says what changed):
   * the build writes it into every page that loads this script (sphinx_ext/messages.py, switch_html), so the page
   * does not move when this runs. */
  function addSwitch() {
    for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-lang-button"))) {
      const code = button.dataset.swLang || "";
      button.setAttribute("aria-pressed", String(code === lang));
      button.addEventListener("click", () => setLang(code));
    }
  }

  /** Switch the interface language, remember it, redraw at once. @param {string} next */
  function setLang(next) {
    if (!LANGS.includes(next)) return;
    const changed = next !== lang;
    lang = next;
    try {
      root.localStorage.setItem(STORE, next);
    } catch (_) { /* not remembered; still applied */ }
    for (const button of document.querySelectorAll(".sw-lang-button")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.swLang === lang));
    }
    apply();
    if (changed) {
      const status = document.querySelector(".sw-lang-status");
      if (status) {
        status.textContent = t("lang.changed");
        mark(status);
      }
      document.dispatchEvent(new CustomEvent("sourcework:lang", { detail: { lang } }));
    }
  }

  // The build writes every page's interface words in English, so an English reader's page needs no rewriting at
  // load (the first switch to Spanish collects the words then); a Spanish reader's is rewritten at once.
  function boot() {
    addSwitch();
    if (lang !== "en") apply();
  }

  root.SourceworkI18n = { t, tn, reason, apply, setLang, match, lang: () => lang, mark };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
