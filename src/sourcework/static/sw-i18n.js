// @ts-check
/**
 * sw-i18n.js: the interface language (English or Spanish) of the exercise widget, the source versions, the Listen
 * controls and the few theme strings. The words come from the message catalogs (static/messages/<lang>.json).
 *
 * What a page loads at once is only English, and only the words its own scripts ask for: the build puts each
 * script's English words at the head of the script as it ships it (sphinx_ext/messages.py, words_prologue), into
 * window.SourceworkMessages.en. The whole catalogs (sw-messages.js, both languages) and the half that rewrites the
 * page (sw-i18n-rewrite.js) are loaded the first time a reader chooses Spanish, or at once for a reader whose choice
 * of Spanish is remembered; their addresses, relative to this script, are in its data-sw-lazy attribute. Until they
 * have arrived the page stays in English (lang() says "en"); while they load, <html> carries data-sw-lang-pending.
 *
 * Scripts ask for words with SourceworkI18n.t("key", {name: value}) (and tn("key", count, values), which picks
 * "key.one" or "key.other"); the build fails when a key they ask for is missing in a catalog. The reader's choice is
 * kept in localStorage ("sourcework:lang") and announced to the other scripts with the "sourcework:lang" event
 * (they redraw what they wrote). Also here: script(url), which loads a classic script once (sw-main.js loads the
 * answers-file code with it).
 */
(function (root) {
  "use strict";

  const STORE = "sourcework:lang";
  const LANGS = ["en", "es"];
  const me = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  /** The words: this page's English ones now, every catalog once sw-messages.js has added them. */
  const M = /** @type {Record<string, Record<string, string>>} */ (root.SourceworkMessages ||= {});
  /** The language the page is shown in, and the one the reader chose (they differ while its words load). */
  let lang = "en";
  let wanted = "en";
  try {
    const saved = root.localStorage.getItem(STORE);
    if (saved && LANGS.includes(saved)) wanted = saved;
  } catch (_) { /* no storage: English */ }

  /**
   * The text of `key` in the current language, placeholders filled. @param {string} key
   * @param {Record<string, any>} [values] @returns {string}
   */
  function t(key, values) {
    const words = M[lang]?.[key] ?? M.en?.[key] ?? key;
    return values ? words.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? value(name, values[name]) : whole)) : words;
  }

  /** A filled-in value as given, or in another language by the rewriter (a skill's name the Python side wrote in
   * English). @param {string} name @param {any} v @returns {string} */
  const value = (name, v) => (lang !== "en" && rewriter() ? rewriter().value(name, v) : String(v));

  /** "key.one" when count is 1, else "key.other"; {count} is filled. @param {string} key @param {number} count @param {Record<string, any>} [values] */
  const tn = (key, count, values) => t(key + (count === 1 ? ".one" : ".other"), { count, ...values });

  /** Mark an element as written in the current language (lang="es"), or drop the mark. @param {Element} el */
  function mark(el) {
    if (lang === "en") {
      if (el.getAttribute("lang") === "es" && el.hasAttribute("data-sw-lang")) el.removeAttribute("lang");
    } else {
      el.setAttribute("lang", lang);
      el.setAttribute("data-sw-lang", "");
    }
  }

  // ------------------------------------------------------------------------------------------ loading

  /** @type {Record<string, Promise<void>>} */
  const scripts = {};
  /**
   * Load a classic script once (a <script src> works from file:// too); a load that fails is forgotten, so the next
   * call tries again. @param {string} url @returns {Promise<void>}
   */
  const script = (url) => scripts[url] ||= new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = url;
    tag.onload = () => resolve();
    tag.onerror = () => {
      delete scripts[url];
      tag.remove();
      reject(new Error(url));
    };
    document.head.append(tag);
  });

  /** @type {Record<string, string>} */
  let lazy = {};
  try {
    lazy = JSON.parse(me?.dataset.swLazy || "{}");
  } catch (_) { /* loaded by their default names */ }
  /** What is loaded for another language, in order, with the file names a page without data-sw-lazy uses: the whole
   * catalogs, then the rewriting half (it reads them as it loads). */
  const WORDS = { messages: "sw-messages.js", rewrite: "sw-i18n-rewrite.js" };
  const loadWords = () => Object.entries(WORDS).reduce((done, [name, file]) => done.then(() =>
    script(new URL(lazy[name] || file, me?.src || document.baseURI).href)), Promise.resolve());

  /** The rewriting half, once loaded. @returns {any} */
  const rewriter = () => root.SourceworkI18nRewrite;

  /** The English texts the Python side wrote, back in the current language (nothing to do before a switch). @param {ParentNode} [scope] */
  const apply = (scope) => rewriter()?.apply(scope);
  /**
   * A sentence the scorer wrote in English, in the current language (with the item and its score, a list type's
   * sentence is rewritten from the counts). @param {string} text @param {any} [item] @param {any} [result]
   */
  const reason = (text, item, result) => (lang !== "en" && rewriter() ? rewriter().reason(text, item, result) : text);
  /** @param {string} text */
  const match = (text) => rewriter()?.match(text) ?? null;

  // ------------------------------------------------------------------------------------------ the switch

  /** @param {string} code */
  function press(code) {
    for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-lang-button"))) {
      button.setAttribute("aria-pressed", String(button.dataset.swLang === code));
    }
  }

  /**
   * Say in the switch's status line what happened: read out only (visually hidden), unless the language could not
   * be loaded, which is shown too (the switch's pressed button going back is easy to miss). Text after " / " is the
   * other language's (lang.failed says it in both). @param {string} words @param {boolean} [shown]
   */
  function say(words, shown = false) {
    const status = document.querySelector(".sw-lang-status");
    if (!status) return;
    const [first, other] = words.split(" / ");
    const part = document.createElement("span");
    part.lang = lang === "en" ? "es" : "en";
    part.textContent = other || "";
    status.replaceChildren(first, ...(other ? [" / ", part] : []));
    status.classList.toggle("sw-visually-hidden", !shown);
    mark(status);
  }

  /**
   * Switch the interface language and remember it; the page is redrawn as soon as the language's words are here
   * (at once when they already are). @param {string} next @returns {Promise<void>}
   */
  function setLang(next) {
    if (!LANGS.includes(next)) return Promise.resolve();
    wanted = next;
    try {
      root.localStorage.setItem(STORE, next);
    } catch (_) { /* not remembered; still applied */ }
    press(next);
    const html = document.documentElement;
    html.dataset.swLangPending = next;
    // English needs nothing loaded: the page was written in it, and the rewriter is here if it was ever changed.
    const ready = next === "en" || rewriter() ? Promise.resolve() : loadWords();
    return ready.then(() => {
      if (wanted !== next) return; // a later choice won
      const changed = next !== lang;
      lang = next;
      apply();
      if (changed) {
        say(t("lang.changed"));
        document.dispatchEvent(new CustomEvent("sourcework:lang", { detail: { lang } }));
      }
    }, () => {
      if (wanted !== next) return;
      wanted = lang;
      press(lang);
      say(t("lang.failed"), true);
    }).finally(() => {
      if (wanted === lang) delete html.dataset.swLangPending;
    });
  }

  // The build writes every page's interface words in English, so an English reader's page needs nothing more; a
  // Spanish reader's words are fetched at once and the page is rewritten when both they and the page are ready.
  const early = wanted !== "en" ? loadWords().catch(() => {}) : null;
  if (early) document.documentElement.dataset.swLangPending = wanted;
  function boot() {
    for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".sw-lang-button"))) {
      button.addEventListener("click", () => setLang(button.dataset.swLang || ""));
    }
    // After every script's own start-up (the other DOMContentLoaded listeners): they draw in English, then redraw
    // at the "sourcework:lang" event like any switch.
    if (early) setTimeout(() => early.then(() => setLang(wanted)));
  }

  root.SourceworkI18n = { t, tn, reason, apply, setLang, match, lang: () => lang, mark, script };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
