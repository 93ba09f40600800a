// @ts-check
/**
 * sw-main.js: bootstraps the exercises on a page. Load it last, after sw-storage.js, sw-core.js, the page's
 * sw-type-*.js files and (on the progress page) sw-progress.js; the build adds exactly these (sphinx_ext/assets.py).
 *
 * Settings come from this script tag's data- attributes (data-content-hash, data-book-title, data-edition, and
 * data-sw-lazy: {name: file} of the scripts loaded on first use, relative to this one), read through
 * document.currentScript while the script runs, because later there is no way to tell which tag it was.
 *
 * Also wires each set toolbar's and the progress page's name and ID fields and their Download my answers / Load
 * answers buttons; the code that builds and reads the answers file (sw-submission.js) is loaded the first time one
 * of them is used, by a classic <script src> (which works from file://). If it cannot be loaded, the toolbar's
 * status region (role=status) says so.
 */
(function (root) {
  "use strict";

  const me = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const data = (me && me.dataset) || {};
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
  /** @type {Record<string, Promise<any>>} */
  const loading = {};
  /** @param {string} selector */
  const all = (selector) => /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector));

  /**
   * The global a lazily loaded script defines (e.g. "submission" → SourceworkSubmission), loading it once.
   * @param {string} name @returns {Promise<any>}
   */
  function need(name) {
    const global = "Sourcework" + name.charAt(0).toUpperCase() + name.slice(1);
    if (root[global]) return Promise.resolve(root[global]);
    if (!loading[name]) {
      loading[name] = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL(lazy[name] || `sw-${name}.js`, (me && me.src) || document.baseURI).href;
        const fail = () => {
          delete loading[name]; // a later press tries again
          script.remove();
          reject(new Error(script.src + " could not be loaded"));
        };
        script.onload = () => (root[global] ? resolve(root[global]) : fail());
        script.onerror = fail;
        document.head.append(script);
      });
    }
    return loading[name];
  }

  /** A page-level notice before the first exercise element, announced politely. @param {string} message */
  function pageNotice(message) {
    const first = document.querySelector(".sw-set, .sw-progress, .sw-item");
    if (!first) return;
    const box = document.createElement("div");
    box.className = "sw-notice";
    box.setAttribute("role", "status");
    first.before(box);
    // Filled after insertion: screen readers announce changes to a live region, not its arrival.
    setTimeout(() => { box.textContent = message; }, 50);
  }

  /** The practice edition's "Score so far" line of each set toolbar. @param {any} storage */
  function updateSetScores(storage) {
    const { Frac, ZERO } = root.SourceworkScoring;
    for (const set of all(".sw-set")) {
      const line = set.querySelector(".sw-set-score");
      if (!line) continue;
      /** @type {string[]} */
      let ids = [];
      try {
        ids = JSON.parse(set.dataset.swItems || "[]");
      } catch (_) { /* no items listed */ }
      const records = storage.all();
      const scores = ids.map((id) => records[id] && records[id].score).filter(Boolean);
      const answered = ids.filter((id) => records[id]).length;
      const earned = scores.reduce((/** @type {any} */ t, s) => t.add(Frac.from(s.earned) || ZERO), ZERO);
      line.textContent = "Score so far: " + (scores.length
        ? root.SourceworkItems.pointsText(earned, set.dataset.swPossible || "0") +
          ` (${scores.length} of ${ids.length} questions checked, ${answered} answered).`
        : `nothing checked yet (${answered} of ${ids.length} questions answered).`);
    }
  }

  /** Show the student's name and ID, as saved, in every field for them. @param {any} storage */
  function showStudent(storage) {
    const student = storage.readStudent();
    for (const f of all(".sw-student-name")) /** @type {HTMLInputElement} */ (f).value = student.name;
    for (const f of all(".sw-student-id")) /** @type {HTMLInputElement} */ (f).value = student.id;
  }

  /**
   * Wire the name/ID fields and the Download / Load buttons inside one toolbar or progress container.
   * @param {HTMLElement} container @param {any} ctx
   */
  function wireTransfer(container, ctx) {
    const status = /** @type {HTMLElement} */ (container.querySelector(".sw-transfer-status"));
    const input = /** @type {HTMLInputElement | null} */ (container.querySelector("input.sw-load-input"));
    /** @param {string} selector */
    const field = (selector) => /** @type {HTMLInputElement | null} */ (container.querySelector(selector));
    const nameField = field(".sw-student-name");
    const idField = field(".sw-student-id");
    const fields = /** @type {HTMLInputElement[]} */ ([nameField, idField].filter(Boolean));
    for (const f of fields) {
      f.addEventListener("input", () => ctx.storage.writeStudent({ name: nameField?.value || "", id: idField?.value || "" }));
    }
    /** Run `job` with sw-submission.js, or say in the status region why it cannot run. @param {(s: any) => void} job */
    const withSubmission = (job) => need("submission").then(job, () => {
      status.textContent = "The answers file tool could not be loaded, so nothing was downloaded or loaded. Reload " +
        "the page and try again.";
    });
    // Fetch the answers-file code as soon as the student heads for the toolbar, so that a press usually finds it
    // loaded and the download starts within the press itself (some browsers ask first otherwise).
    const warm = () => { need("submission").catch(() => {}); };
    container.addEventListener("pointerenter", warm, { once: true });
    container.addEventListener("focusin", warm, { once: true });
    let downloading = false; // a second press while the code is still loading does not give a second file
    container.addEventListener("click", (event) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest("button[data-sw-action]"));
      const action = button && button.dataset.swAction;
      if (action === "download" && !downloading) {
        const missing = fields.find((f) => !f.value.trim());
        // The grader refuses a file without a student id, so a test file is not downloaded without one.
        if (missing && ctx.settings.edition === "assessment") {
          status.textContent = "Type your name and student ID first: your teacher needs them to grade the file.";
          missing.focus();
          return;
        }
        downloading = true;
        withSubmission((submission) => {
          submission.download(ctx, status);
          if (missing) status.textContent += " Add your name and student ID before you hand a file to a teacher.";
        }).finally(() => { downloading = false; });
      } else if (action === "load" && input) {
        input.value = "";
        input.click(); // now, while the press still counts as the student's: a file chooser needs that
      }
    });
    input?.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (file) withSubmission((submission) => submission.load(file, ctx, status));
    });
  }

  function boot() {
    const storage = root.SourceworkStorage;
    // Answers are kept per edition: practice answers (checked against the key) must not reappear in an assessment.
    storage.init(`${settings.contentHash}:${settings.edition}`, pageNotice);
    const update = () => updateSetScores(storage);
    const widgets = root.SourceworkItems.wireAll(document, { edition: settings.edition, storage, onChange: update });
    const progress = all(".sw-progress");
    const ctx = { settings, storage };
    const refresh = () => {
      showStudent(storage);
      update();
      for (const p of progress) root.SourceworkProgress.render(p, ctx);
    };
    showStudent(storage);
    update();
    const transferCtx = { settings, storage, widgets, onRestored: refresh };
    for (const box of all(".sw-set, .sw-progress")) wireTransfer(box, transferCtx);
    for (const p of progress) root.SourceworkProgress.wire(p, ctx);
    root.Sourcework = { settings, widgets, transfer: transferCtx, need }; // for debugging and the browser tests
    // Every item is wired and saved answers are restored: tests and benchmarks wait for this, not for a delay.
    document.documentElement.dataset.swReady = "1";
    document.dispatchEvent(new CustomEvent("sourcework:ready"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
