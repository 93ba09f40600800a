// @ts-check
/**
 * sw-grade-lms.js: grades back into an LMS, as grader/lms.py writes them from a gradebook: a Canvas grade-import CSV
 * (students matched by SIS User ID, SIS Login ID or Canvas ID, never guessed) and a plain student_id,points CSV.
 * Both read the gradebook CSV's text (what gradebookCsv returns, or a gradebook file the teacher loads), as the CLI
 * reads the gradebook file; both are UTF-8 without a byte order mark, every cell through the formula guard.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const S = root.SourceworkScoring;
  const { strip, casefold, repr } = G.py;

  const LEADING = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
  const ASSIGNMENT = /^([\s\S]*\S)\s*\((\d+)\)$/;

  /** A file that cannot be used (lms.LmsError), with what to do about it. */
  class LmsError extends Error {}

  /** @param {string} text */
  const rows = (text) => G.csv.read(text.startsWith("\ufeff") ? text.slice(1) : text).map((/** @type {any} */ r) => r.cells);

  /** lms._gradebook and gradebook.read_gradebook: one {column: cell} per student, the guard undone. @param {string} text @param {string} name */
  function gradebook(text, name) {
    const found = rows(text);
    if (!found.length || !found[0].map(strip).includes("student_id")) {
      throw new LmsError(`${name}: this is not a gradebook written by 'sourcework grade' (no student_id column).`);
    }
    const plain = found.map((/** @type {string[]} */ row) => row.map((c) => (c.startsWith("'") ? c.slice(1) : c)));
    return plain.slice(1).map((/** @type {string[]} */ row) => {
      /** @type {Map<string, string>} */
      const student = new Map();
      plain[0].forEach((/** @type {string} */ head, /** @type {number} */ i) => { if (i < row.length) student.set(head, row[i]); });
      return student;
    });
  }

  /** @param {string[][]} out */
  const write = (out) => G.py.unpaired(G.csv.write(out.map((row) => row.map(G.neutralise))));

  /** lms.set_points. @param {any} set */
  const setPoints = (set) => set.items.reduce((/** @type {any} */ a, /** @type {any} */ i) => a.add(S.Frac.from(i.points ?? 1) || S.ONE), S.ZERO);

  /**
   * lms.canvas_import: {csv, matched, unmatched, ambiguous, missing, columns}.
   * @param {any} gradebookText the gradebook CSV's text (or a run) @param {string} exportText @param {any} book
   * @param {{mode?: string, totalName?: string, gradebookName?: string, exportName?: string}} [options]
   */
  function canvas(gradebookText, exportText, book, options = {}) {
    if (typeof gradebookText !== "string") gradebookText = G.gradebookCsv(gradebookText, book);
    const students = gradebook(gradebookText, options.gradebookName || "gradebook.csv");
    const found = rows(exportText);
    const head = found.length ? found[0].map(strip) : [];
    if (!head.includes("Student") || !head.includes("ID")) {
      throw new LmsError(`${options.exportName || "export.csv"}: this is not a Canvas gradebook export (its header ` +
        "lacks 'Student' and 'ID'). In Canvas: Grades, Export, Export Entire Gradebook.");
    }
    /** @type {Map<string, number>} */
    const at = new Map(LEADING.filter((n) => head.includes(n)).map((n) => [n, head.indexOf(n)]));
    /** @type {Record<string, string>[]} */
    const people = [];
    for (const row of found.slice(1)) {
      /** @type {Record<string, string>} */
      const cells = {};
      for (const [n, i] of at) cells[n] = i < row.length ? strip(row[i]) : "";
      if (cells.Student === "Points Possible" || !Object.values(cells).some(Boolean)) continue;
      people.push(Object.fromEntries(LEADING.map((n) => [n, cells[n] || ""])));
    }
    /** @type {Map<string, number[]>} */
    const index = new Map();
    people.forEach((p, n) => {
      for (const [kind, value] of [["sis", p["SIS User ID"]], ["login", casefold(p["SIS Login ID"])], ["canvas", p.ID]]) {
        if (!value) continue;
        const key = kind + "\u0000" + value;
        if (!index.has(key)) index.set(key, []);
        /** @type {number[]} */ (index.get(key)).push(n);
      }
    });
    /** @type {Map<string, string>} */
    const existing = new Map();
    for (const name of head.slice(at.size)) {
      const m = ASSIGNMENT.exec(name);
      if (m && !existing.has(strip(m[1]))) existing.set(strip(m[1]), name);
    }
    const totalName = options.totalName || "Sourcework total";
    const wanted = options.mode === "total"
      ? [[existing.get(totalName) || totalName, null, book.sets.reduce((/** @type {any} */ a, /** @type {any} */ s) => a.add(setPoints(s)), S.ZERO)]]
      : book.sets.map((/** @type {any} */ s) => [existing.get(strip(s.title)) || strip(s.title), s.id, setPoints(s)]);
    const result = { csv: "", matched: 0, unmatched: /** @type {string[]} */ ([]), ambiguous: /** @type {string[]} */ ([]),
      missing: /** @type {string[]} */ ([]), columns: wanted.map((/** @type {any[]} */ w) => w[0]) };
    const out = [[...LEADING, ...result.columns], ["Points Possible", "", "", "", "",
      ...wanted.map((/** @type {any[]} */ w) => S.formatPoints(w[2]))]];
    /** @type {Map<number, [string, Map<string, string>][]>} */
    const claims = new Map();
    for (const student of students) {
      const sid = strip(student.get("student_id") || "");
      const hits = [index.get("sis\u0000" + sid), index.get("login\u0000" + casefold(sid)), index.get("canvas\u0000" + sid)];
      const foundIn = [...new Set(hits.flatMap((h) => h || []))].sort((a, b) => a - b);
      if (!foundIn.length) result.unmatched.push(sid);
      else if (foundIn.length > 1) {
        const named = foundIn.map((n) => `${people[n].Student} (ID ${people[n].ID})`).join("; ");
        result.ambiguous.push(`${repr(sid)} matches ${named}`);
      } else {
        if (!claims.has(foundIn[0])) claims.set(foundIn[0], []);
        /** @type {any[]} */ (claims.get(foundIn[0])).push([sid, student]);
      }
    }
    for (const n of [...claims.keys()].sort((a, b) => a - b)) {
      const claimants = /** @type {[string, Map<string, string>][]} */ (claims.get(n));
      if (claimants.length > 1) {
        result.ambiguous.push(`${claimants.map(([sid]) => repr(sid)).join(" and ")} all match ${people[n].Student} ` +
          `(ID ${people[n].ID})`);
        continue;
      }
      const student = claimants[0][1];
      const values = wanted.map((/** @type {any[]} */ w) => student.get(w[1] === null ? "total" : `set:${w[1]}`) || "");
      out.push([...LEADING.map((name) => people[n][name]), ...values]);
      result.matched += 1;
    }
    result.missing = people.filter((_, n) => !claims.has(n)).map((p) => `${p.Student} (ID ${p.ID})`);
    result.csv = write(out);
    return result;
  }

  /**
   * lms.plain_points: {csv, count}: student_id,points (a set's points, or the total).
   * @param {any} gradebookText the gradebook CSV's text (or a run) @param {string | null} [setId]
   * @param {string} [name] the gradebook's name
   */
  function plain(gradebookText, setId = null, name = "gradebook.csv") {
    if (typeof gradebookText !== "string") gradebookText = G.gradebookCsv(gradebookText, gradebookText.book);
    const students = gradebook(gradebookText, name);
    const column = setId ? `set:${setId}` : "total";
    if (students.length && !students[0].has(column)) {
      throw new LmsError(`${name}: the gradebook has no column ${repr(column)} (is ${setId ? repr(setId) : "None"} ` +
        "a set of this book?).");
    }
    return { csv: write([["student_id", "points"], ...students.map((s) => [s.get("student_id") || "", s.get(column) || ""])]),
      count: students.length };
  }

  G.lms = { canvas, plain, LmsError };
})(/** @type {any} */ (globalThis));
