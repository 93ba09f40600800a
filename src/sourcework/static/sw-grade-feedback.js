// @ts-check
/**
 * sw-grade-feedback.js: the students' feedback pages, as grader/feedback.py writes them (the same file names, the
 * same HTML; every text from a submission or a teacher escaped). See sw-grade-core.js for the API.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const S = root.SourceworkScoring;
  const e = G.py.htmlEscape;

  const STATUS_WORDS = /** @type {Record<string, string>} */ ({ correct: "Correct", partial: "Partly correct",
    incorrect: "Not correct", unanswered: "Not answered", invalid: "Answer could not be read",
    ungraded: "Waiting for your teacher's rubric score" });

  /** @param {any} value a Frac */
  const pointsWord = (value) => (value.n === 1n && value.d === 1n ? "point" : "points");

  /** sha256(text as UTF-8) in hex. @param {string} text */
  async function sha256(text) {
    const digest = await root.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** feedback.file_stem: a safe, unique (without case) file name. @param {string} id @param {Set<string>} used */
  async function fileStem(id, used) {
    let stem = id.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "student";
    if (used.has(stem.toLowerCase())) stem = `${stem}-${(await sha256(id)).slice(0, 8)}`;
    used.add(stem.toLowerCase());
    return stem;
  }

  /** feedback.section's HTML. @param {any} item @param {any} student */
  function section(item, student) {
    const result = student.scores[item.id];
    const heading = item.id + (item.title ? `: ${item.title}` : "");
    let explanation = item.explanation || "";
    /** @type {string[]} */
    const rubric = [];
    let scoreLine;
    let reason;
    if (!result) {
      scoreLine = "Not graded";
      reason = `This item was ${student.skipped[item.id] || "not graded"}.`;
      explanation = "";
    } else {
      if (result.status === "ungraded") {
        scoreLine = `${STATUS_WORDS.ungraded} (out of ${S.formatPoints(result.possible)})`;
      } else {
        scoreLine = `${S.formatPoints(result.earned)} of ${S.formatPoints(result.possible)} ` +
          `${pointsWord(result.possible)}: ${STATUS_WORDS[result.status] || ""}`;
      }
      reason = result.reason;
      const levels = student.rubric[item.id] || {};
      for (const c of item.rubric || []) {
        if (!levels[c.id]) continue;
        const got = levels[c.id];
        const level = c.levels.find((/** @type {any} */ lv) => got.cmp(S.Frac.of(lv.points)) === 0);
        const max = Math.max(...c.levels.map((/** @type {any} */ lv) => lv.points));
        rubric.push(`${c.criterion}: ${level ? level.label + ", " : ""}${S.formatPoints(got)} of ${max}`);
      }
    }
    const comments = student.comments[item.id] || [];
    const parts = ["<section>", `<h2>${e(heading)}</h2>`];
    if (item.stem) parts.push(`<p>${e(item.stem)}</p>`);
    parts.push(`<p><strong>Score:</strong> ${e(scoreLine)}</p>`, `<p>${e(reason)}</p>`);
    if (rubric.length) parts.push("<ul>" + rubric.map((line) => `<li>${e(line)}</li>`).join("") + "</ul>");
    for (const comment of comments) parts.push(`<p><strong>Your teacher's comment:</strong> ${e(comment)}</p>`);
    if (explanation) parts.push(`<p><strong>Explanation:</strong> ${e(explanation)}</p>`);
    parts.push("</section>");
    return parts.join("\n");
  }

  /** feedback.summary. @param {any} student */
  function summary(student) {
    if (!student.possible.n) return "No points scored yet.";
    return `Total: ${G.formatPoints(student.total)} of ${G.formatPoints(student.possible)} ${pointsWord(student.possible)} ` +
      `(${student.percent}%).`;
  }

  /** Path(path).name. @param {string} path */
  const baseName = (path) => path.replace(/\/+$/, "").split("/").pop() || "";

  /** feedback.feedback_html. @param {any} student @param {string[]} sections */
  function page(student, sections) {
    const who = student.studentName || student.studentId;
    return ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>Feedback for ${e(who)}</title>`,
      "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;" +
      "line-height:1.5}section{border-top:1px solid #767676;padding:.5rem 0}</style>",
      "</head>", "<body>", "<main>", `<h1>Feedback for ${e(who)}</h1>`,
      `<p>Student ID: ${e(student.studentId)}. File: ${e(baseName(student.file))}. ` +
      `Exported: ${e(student.exportedAt)}.</p>`, `<p><strong>${e(summary(student))}</strong></p>`,
      ...sections, "</main>", "</body>", "</html>", ""].join("\n");
  }

  /**
   * write_feedback's pages: [{name: "<stem>.html", html}], one per graded student, in the run's order. The html is
   * text as the CLI writes it (a lone surrogate as the text \udXXXX); encode it as UTF-8. Async: it yields to the
   * event loop every SLICE_MS.
   * @param {any} run @param {any} book
   */
  async function feedbackPages(run, book) {
    const items = G.itemsOf(book);
    /** @type {Set<string>} */
    const used = new Set();
    /** @type {Map<any, string>} */
    const built = new Map(); // one section per item and distinct Score (or reason not graded), as feedback.py keeps
    const pages = [];
    let since = Date.now();
    for (const student of run.students) {
      if (Date.now() - since >= G.SLICE_MS) { // let the page answer while a large class's pages are written
        await G.pause();
        since = Date.now();
      }
      const stem = await fileStem(student.studentId, used);
      const sections = items.map((item) => {
        if (student.rubric[item.id] || student.comments[item.id]) return section(item, student);
        const result = student.scores[item.id];
        const key = result || item.id + "\u0000" + (student.skipped[item.id] || "");
        let map = built.get(item.id);
        if (!map) built.set(item.id, (map = new Map()));
        if (!map.has(key)) map.set(key, section(item, student));
        return map.get(key);
      });
      pages.push({ name: `${stem}.html`, html: G.py.unpaired(page(student, sections)) });
    }
    return pages;
  }

  Object.assign(G, { feedbackPages, STATUS_WORDS });
})(/** @type {any} */ (globalThis));
