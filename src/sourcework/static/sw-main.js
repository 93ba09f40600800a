// @ts-check
/**
 * sw-main.js: bootstraps the exercises on a page. Load it last, after sw-storage.js, sw-core.js, the page's
 * sw-type-*.js files and (on the progress page) sw-progress.js; the build adds exactly these (sphinx_ext/assets.py).
 *
 * Settings come from this script tag's data- attributes (data-content-hash, data-book-title, data-edition, and
 * data-sw-lazy: {name: file} of the scripts loaded on first use, relative to this one), read through
 * document.currentScript while the script runs, because later there is no way to tell which tag it was.
 *
 * Also saves each set toolbar's and the progress page's name and ID fields as they are typed, and hands a press of
 * their Download my answers / Load answers buttons to sw-submission.js (which builds and reads the answers file
 * and does the rest of the panel's work), loaded the first time by a classic <script src> (which works from
 * file://; SourceworkI18n.script). If it cannot be loaded, the toolbar's status region (role=status) says so.
 */
(function (root) {
  "use strict";

  const me = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const data = me?.dataset || {};
  const settings = {
    contentHash: data.contentHash || "",
    bookTitle: data.bookTitle || document.title,
    edition: data.edition || "practice",
  };
  /** @type {Record<string, string>} */
  let lazy = {};
  try {
    lazy = JSON.parse(data.swLazy || "{}");
  } catch (_) { /* load by the default names */ }
  /** @param {string} selector */
  const all = (selector) => /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector));

  /**
   * The global a lazily loaded script defines (e.g. "submission" → SourceworkSubmission), loading it once
   * (SourceworkI18n.script: a load that fails is forgotten, so the next call tries again).
   * @param {string} name @returns {Promise<any>}
   */
  const need = (name) => root.SourceworkI18n.script(new URL(lazy[name] || `sw-${name}.js`, me?.src || document.baseURI).href)
    .then(() => root["Sourcework" + name[0].toUpperCase() + name.slice(1)] || Promise.reject(new Error(name)));

  /** A page-level notice before the first exercise element, announced politely. @param {string} message */
  function pageNotice(message) {
    const box = document.createElement("div");
    box.className = "sw-notice";
    box.setAttribute("role", "status");
    document.querySelector(".sw-set, .sw-progress, .sw-item")?.before(box);
    // Filled after insertion: screen readers announce changes to a live region, not its arrival.
    setTimeout(() => { box.textContent = message; }, 50);
  }

  /** The practice edition's "Score so far" line of each set toolbar. @param {any} storage */
  function updateSetScores(storage) {
    const { Frac, ZERO } = root.SourceworkScoring;
    const t = root.SourceworkI18n.t;
    const records = storage.all();
    for (const set of all(".sw-set")) {
      const line = set.querySelector(".sw-set-score");
      if (!line) continue;
      /** @type {string[]} */
      let ids = [];
      try {
        ids = JSON.parse(set.dataset.swItems || "[]");
      } catch (_) { /* no items listed */ }
      const scores = ids.map((id) => records[id]?.score).filter(Boolean);
      const answered = ids.filter((id) => records[id]).length;
      const earned = scores.reduce((/** @type {any} */ t, s) => t.add(Frac.from(s.earned) || ZERO), ZERO);
      line.textContent = scores.length
        ? t("score.line", { points: root.SourceworkItems.pointsText(earned, set.dataset.swPossible || "0"),
          checked: scores.length, count: ids.length, answered })
        : t("score.nothing_yet", { answered, count: ids.length });
      root.SourceworkI18n.mark(line);
    }
  }

  /** Show the student's name and ID, as saved, in every field for them. @param {any} storage */
  function showStudent(storage) {
    const student = storage.readStudent();
    for (const key of ["name", "id"]) {
      for (const f of all(".sw-student-" + key)) /** @type {HTMLInputElement} */ (f).value = student[key];
    }
  }

  /**
   * A set toolbar or the progress page's box: the name and ID are saved as the student types them; a press of
   * Download my answers or Load answers, or a chosen file, is handed to sw-submission.js (its `use`), loaded on
   * first use and fetched already when the pointer or the focus first enters the box.
   * @param {HTMLElement} box @param {any} ctx
   */
  function wireTransfer(box, ctx) {
    /** @param {string} key */
    const value = (key) => /** @type {HTMLInputElement | null} */ (box.querySelector(".sw-student-" + key))?.value || "";
    box.querySelector(".sw-student")?.addEventListener("input", () => {
      ctx.storage.writeStudent({ name: value("name"), id: value("id") });
    });
    const warm = () => { need("submission").catch(() => {}); };
    for (const type of ["pointerenter", "focusin"]) box.addEventListener(type, warm, { once: true });
    let busy = false; // a second press while the code is still loading does not give a second file
    /** @param {Event} event */
    const hand = (event) => {
      const target = /** @type {HTMLInputElement} */ (event.target);
      const chooser = /** @type {HTMLInputElement | null} */ (box.querySelector("input.sw-load-input"));
      if (chooser && target.closest("[data-sw-action=load]")) {
        // The file chooser opens only inside the student's press, so it opens here; the chosen file comes back as
        // a change of the input, which is handed on.
        chooser.value = "";
        chooser.click();
        return;
      }
      if (busy || !(target.files?.length || target.closest("[data-sw-action=download]"))) return;
      busy = true;
      need("submission").then((submission) => submission.use(target, box, ctx), () => {
        /** @type {HTMLElement} */ (box.querySelector(".sw-transfer-status")).textContent =
          root.SourceworkI18n.t("file.tool_failed");
      }).finally(() => { busy = false; });
    };
    box.addEventListener("click", hand);
    box.addEventListener("change", hand);
  }

  function boot() {
    const storage = root.SourceworkStorage;
    // Answers are kept per edition: practice answers (checked against the key) must not reappear in an assessment.
    storage.init(`${settings.contentHash}:${settings.edition}`, pageNotice);
    const update = () => updateSetScores(storage);
    const widgets = root.SourceworkItems.wireAll(document, { edition: settings.edition, storage, onChange: update });
    showStudent(storage);
    update();
    // The set summaries are rewritten with the rest of the page's English (sw-i18n-rewrite.js).
    document.addEventListener("sourcework:lang", update);
    // sw-progress.js (on the progress page) wires itself at sourcework:ready and redraws after onRestored.
    const ctx = { settings, storage, widgets, onRestored: () => { showStudent(storage); update(); } };
    for (const box of all(".sw-set, .sw-progress")) wireTransfer(box, ctx);
    root.Sourcework = { settings, widgets, transfer: ctx, need }; // for sw-progress.js, debugging, browser tests
    // Every item is wired and saved answers are restored: tests and benchmarks wait for this, not for a delay.
    document.documentElement.dataset.swReady = "1";
    document.dispatchEvent(new Event("sourcework:ready"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
