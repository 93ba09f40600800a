// @ts-check
/**
 * sw-submission.js: the submission file behind "Download my answers" and "Load answers", and those buttons' work
 * (`use`). Not on the page when it opens: sw-main.js loads this file the first time one of them is used (or the
 * pointer or the focus enters their toolbar) and hands it each press and each chosen file.
 *
 * The file is the one in ARCHITECTURE.md ("Submission file"): {format: "sourcework-submission/1", book,
 * content_hash, item_hashes, edition, student: {name, id}, exported_at, answers}. Loading validates the file,
 * restores what fits into storage and into the items on the page, and reports what it restored and what it set
 * aside in a role=status region. Nothing here throws: a bad file is described, never fatal.
 */
(function (root) {
  "use strict";

  const FORMAT = "sourcework-submission/1";
  const MAX_BYTES = 5 * 1024 * 1024; // a real submission is a few kilobytes; refuse anything absurd
  const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

  /**
   * @typedef {{contentHash: string, bookTitle: string, edition: string}} Settings
   * @typedef {{settings: Settings, storage: any, widgets: Map<string, any>, onRestored: () => void}} Context
   */

  /** Build the submission object from everything saved for this version of the exercises. @param {Context} ctx */
  function build(ctx) {
    const records = ctx.storage.all();
    /** @type {Record<string, unknown>} */
    const answers = {};
    /** @type {Record<string, string>} */
    const itemHashes = {};
    for (const [id, record] of Object.entries(records)) {
      answers[id] = record.response;
      itemHashes[id] = record.itemHash;
    }
    // Answers on this page are read from the controls too, so a browser that cannot save still downloads them.
    for (const [id, widget] of ctx.widgets) {
      const response = widget.read();
      if (response === null) continue;
      answers[id] = response;
      itemHashes[id] = widget.hash;
    }
    return {
      format: FORMAT,
      book: ctx.settings.bookTitle,
      content_hash: ctx.settings.contentHash,
      item_hashes: itemHashes,
      edition: ctx.settings.edition,
      student: ctx.storage.readStudent(),
      exported_at: new Date().toISOString(),
      answers,
    };
  }

  /** A file name from the student's name and the date, safe on every system. @param {{name: string}} student */
  function fileName(student) {
    const who = student.name.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
    return `sourcework-answers-${who || "student"}-${new Date().toISOString().slice(0, 10)}.json`;
  }

  /**
   * Download the submission file through a temporary link.
   * @param {Context} ctx @param {HTMLElement} status
   */
  function download(ctx, status) {
    const { t, tn } = root.SourceworkI18n;
    try {
      const data = build(ctx);
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName(data.student);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      const count = Object.keys(data.answers).length;
      status.textContent = tn("file.downloaded", count, { name: link.download });
    } catch (_) {
      status.textContent = t("file.download_failed");
    }
  }

  /**
   * Read a chosen file and restore its answers; the outcome is reported in `status`.
   * @param {File} file @param {Context} ctx @param {HTMLElement} status
   */
  function load(file, ctx, status) {
    const t = root.SourceworkI18n.t;
    if (file.size > MAX_BYTES) {
      status.textContent = t("file.too_large", { name: file.name });
      return;
    }
    const reader = new FileReader();
    reader.onerror = () => { status.textContent = t("file.unreadable", { name: file.name }); };
    reader.onload = () => {
      try {
        status.textContent = restore(String(reader.result), file.name, ctx);
      } catch (_) {
        status.textContent = t("file.not_loaded", { name: file.name });
      }
      ctx.onRestored();
    };
    reader.readAsText(file);
  }

  /**
   * Restore a submission's text; returns the sentence that reports what happened.
   * @param {string} text @param {string} name @param {Context} ctx
   */
  function restore(text, name, ctx) {
    const { t, tn } = root.SourceworkI18n;
    let data;
    try {
      data = JSON.parse(text);
    } catch (_) {
      return t("file.not_json", { name });
    }
    if (!data || typeof data !== "object" || data.format !== FORMAT) {
      return t("file.wrong_format", { name, format: FORMAT });
    }
    if (ctx.settings.edition === "assessment" && data.edition !== "assessment") {
      // A practice file was made with the key in view; it cannot become an assessment submission.
      return t("file.wrong_edition", { name, edition: String(data.edition || "unknown") });
    }
    const answers = data.answers && typeof data.answers === "object" && !Array.isArray(data.answers)
      ? data.answers : {};
    const hashes = data.item_hashes && typeof data.item_hashes === "object" ? data.item_hashes : {};
    let restored = 0;
    /** @type {string[]} */
    const ignored = [];
    for (const [id, response] of Object.entries(answers)) {
      const why = restoreOne(id, response, typeof hashes[id] === "string" ? hashes[id] : "", ctx);
      if (why) ignored.push(`${id} (${t(why)})`);
      else restored += 1;
    }
    const student = data.student && typeof data.student === "object" ? data.student : {};
    if (typeof student.name === "string" || typeof student.id === "string") {
      ctx.storage.writeStudent({ name: String(student.name || ""), id: String(student.id || "") });
    }
    const parts = [tn("file.loaded", restored, { name })];
    if (data.content_hash !== ctx.settings.contentHash) parts.push(t("file.other_version"));
    if (ignored.length) parts.push(t("file.set_aside", { count: ignored.length, list: ignored.join("; ") }));
    return parts.join(" ");
  }

  /**
   * Restore one answer; returns the catalog key of why it was set aside, or "" when restored.
   * @param {string} id @param {unknown} response @param {string} itemHash @param {Context} ctx
   */
  function restoreOne(id, response, itemHash, ctx) {
    if (!ID.test(id)) return "aside.not_an_id";
    if (response === null || response === undefined) return "aside.empty";
    const widget = ctx.widgets.get(id);
    if (widget) {
      if (itemHash && itemHash !== widget.hash) return "aside.changed";
      if (!root.SourceworkItems.fitsType(widget.type, response)) return "aside.does_not_fit";
      if (!widget.accept(response)) return "aside.not_shown";
      widget.persist();
      return "";
    }
    // Not on this page: keep it in storage; the item's own page compares hashes when it restores the answer.
    const record = { response, itemHash, savedAt: new Date().toISOString() };
    return ctx.storage.write(id, record) ? "" : "aside.cannot_save";
  }

  /**
   * A press of Download my answers or Load answers, or a file chosen in the hidden file input, inside `box` (a set
   * toolbar or the progress page's box), handed over by sw-main.js.
   * @param {HTMLElement} target @param {HTMLElement} box @param {Context} ctx
   */
  function use(target, box, ctx) {
    const t = root.SourceworkI18n.t;
    const status = /** @type {HTMLElement} */ (box.querySelector(".sw-transfer-status"));
    const input = /** @type {HTMLInputElement | null} */ (box.querySelector("input.sw-load-input"));
    if (target === input) {
      const file = input.files && input.files[0];
      if (file) load(file, ctx, status);
    } else {
      const fields = /** @type {NodeListOf<HTMLInputElement>} */ (box.querySelectorAll(".sw-student-name, .sw-student-id"));
      const missing = [...fields].find((f) => !f.value.trim());
      // The grader refuses a file without a student id, so a test file is not downloaded without one.
      if (missing && ctx.settings.edition === "assessment") {
        status.textContent = t("file.need_name_first");
        missing.focus();
        return;
      }
      download(ctx, status);
      if (missing) status.textContent += " " + t("file.add_name");
    }
  }

  root.SourceworkSubmission = { build, use };
})(/** @type {any} */ (globalThis));
