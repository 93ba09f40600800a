// @ts-check
/**
 * sw-main.js: bootstraps the exercises on a page. Load it last, after sw-scoring.js, sw-storage.js, sw-items.js,
 * sw-submission.js and sw-progress.js.
 *
 * Settings come from this script tag's data- attributes (data-content-hash, data-book-title, data-edition), read
 * through document.currentScript while the script runs, because later there is no way to tell which tag it was.
 */
(function (root) {
  "use strict";

  const me = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const settings = {
    contentHash: (me && me.dataset.contentHash) || "",
    bookTitle: (me && me.dataset.bookTitle) || document.title,
    edition: (me && me.dataset.edition) || "practice",
  };

  /** A page-level notice before the first exercise element, announced politely. @param {string} message */
  function pageNotice(message) {
    const first = document.querySelector(".sw-set, .sw-progress, .sw-item");
    if (!first || !first.parentNode) return;
    const box = document.createElement("div");
    box.className = "sw-notice";
    box.setAttribute("role", "status");
    first.parentNode.insertBefore(box, first);
    // Filled after insertion: screen readers announce changes to a live region, not its arrival.
    setTimeout(() => { box.textContent = message; }, 50);
  }

  /** The practice edition's "Score so far" line of each set toolbar. @param {any} storage */
  function updateSetScores(storage) {
    const S = root.SourceworkScoring;
    for (const set of Array.from(document.querySelectorAll(".sw-set"))) {
      const line = set.querySelector(".sw-set-score");
      if (!line || !S) continue;
      let ids = [];
      try {
        ids = JSON.parse(/** @type {HTMLElement} */ (set).dataset.swItems || "[]");
      } catch (_) {
        ids = [];
      }
      const records = storage.all();
      const scores = ids.map((/** @type {string} */ id) => records[id] && records[id].score).filter(Boolean);
      const answered = ids.filter((/** @type {string} */ id) => records[id]).length;
      const earned = scores.reduce((/** @type {any} */ t, /** @type {any} */ s) => t.add(S.Frac.from(s.earned) ||
        S.Frac.of(0)), S.Frac.of(0));
      const possible = /** @type {HTMLElement} */ (set).dataset.swPossible || "0";
      line.textContent = scores.length
        ? `Score so far: ${root.SourceworkItems.pointsText(earned, possible)} (${scores.length} of ${ids.length} ` +
          `questions checked, ${answered} answered).`
        : `Score so far: nothing checked yet (${answered} of ${ids.length} questions answered).`;
    }
  }

  function boot() {
    const storage = root.SourceworkStorage;
    // Answers are kept per edition: practice answers (checked against the key) must not reappear in an assessment.
    storage.init(`${settings.contentHash}:${settings.edition}`, pageNotice);
    const itemCtx = { edition: settings.edition, storage, onChange: () => updateSetScores(storage) };
    const widgets = root.SourceworkItems.wireAll(document, itemCtx);
    updateSetScores(storage);
    const progress = Array.from(document.querySelectorAll(".sw-progress"));
    const refresh = () => {
      const student = storage.readStudent();
      for (const f of Array.from(document.querySelectorAll(".sw-student-name"))) {
        /** @type {HTMLInputElement} */ (f).value = student.name;
      }
      for (const f of Array.from(document.querySelectorAll(".sw-student-id"))) {
        /** @type {HTMLInputElement} */ (f).value = student.id;
      }
      updateSetScores(storage);
      for (const p of progress) root.SourceworkProgress.render(p, { settings, storage });
    };
    const transferCtx = { settings, storage, widgets, onRestored: refresh };
    for (const box of Array.from(document.querySelectorAll(".sw-set, .sw-progress"))) {
      root.SourceworkSubmission.wireTransfer(/** @type {HTMLElement} */ (box), transferCtx);
    }
    for (const p of progress) root.SourceworkProgress.wire(/** @type {HTMLElement} */ (p), { settings, storage });
    root.Sourcework = { settings, widgets, transfer: transferCtx }; // for debugging and the browser tests
    // Every item is wired and saved answers are restored: tests and benchmarks wait for this, not for a delay.
    document.documentElement.dataset.swReady = "1";
    document.dispatchEvent(new CustomEvent("sourcework:ready"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
