// @ts-check
/**
 * sw-grade-core.js: the class-grading page's engine, the browser twin of `sourcework grade` (src/sourcework/grader):
 * the same files admitted or rejected with the same reasons, the same scores, the same gradebook CSV byte for byte,
 * the same rubric merge, feedback pages and LMS files. No DOM: it runs in Node for the parity tests
 * (tests/js/grade_class.mjs, driven by tests/test_grade_parity.py), as sw-core.js does for the scoring vectors.
 *
 * Files, loaded in this order after the scorer (sw-core.js, sw-lists.js, every sw-type-*.js) and sw-zip.js:
 *   sw-grade-core.js      this file: window.SourceworkGrader, gradeClass, mergeRubric, Python's text helpers
 *   sw-grade-json.js      strict UTF-8 and a JSON reader that fails where and as Python's json module fails
 *   sw-grade-admit.js     expandInputs and reading one submission (grader/admit.py, core/submission.py)
 *   sw-grade-csv.js       gradebookCsv, rubricCsv.parse / write, the CSV reader and writer (Python's csv module)
 *   sw-grade-feedback.js  feedbackPages (grader/feedback.py)
 *   sw-grade-lms.js       lms.canvas, lms.plain (grader/lms.py)
 *
 * API (window.SourceworkGrader; the contract is /work/briefs/grading-api.md, changes are listed here):
 *   expandInputs(files) -> entries             files: [{path, bytes: Uint8Array}] (a folder's files have paths
 *       "folder/sub/x.json", as a folder input gives them; a path without "/" is a file given alone). Synchronous.
 *       An entry is {name, bytes} (a submission to read), {name, rejection: {reason, fix}} (an archive member that
 *       could not be read) or {name, issue: {level, message, fix}} (an archive that cannot be opened, holds no .json
 *       file, or has too many members).
 *   gradeClass(entries, book, {rubricRows?, rubricName?, onProgress?(done, total, name), every?}) -> Promise<run>
 *       ASYNC: yields to the event loop after every `every` (25) files, calling onProgress after each file.
 *   mergeRubric(run, rows, issues?, rubricName?) merges rubric rows (rubricCsv.parse's) INTO run, in place, as
 *       rubric.merge_rubric does (the reading issues, then the merge's, appended to run.issues; totals refreshed);
 *       returns run. CHANGED from the contract's (run, rows, book): the book is the run's; a row without `line`
 *       gets the line rubricCsv.write(rows) would give it (its index + 2). To re-merge after the teacher changes a
 *       level, grade again with options.rubricRows (gradeClass is cheap) or merge into a fresh run.
 *   gradebookCsv(run, book) -> string (with the byte order mark; encode it as UTF-8 to get the CLI's bytes);
 *       gradebookCsvAsync(run, book) -> Promise<the same string>, yielding every SLICE_MS (for 1,000 students).
 *   rubricCsv.parse(text, name) -> {rows, issues} (CHANGED from (text, book): `name` is what issues call the file,
 *       as the CLI's path); rubricCsv.parseBytes(bytes, name) decodes first as Python does; rubricCsv.write(rows) ->
 *       string; rubricCsv.rowsOf(run) -> the rows of a run's merged levels and comments.
 *   feedbackPages(run, book) -> Promise<[{name, html}]> (ASYNC: file names need SHA-256, crypto.subtle).
 *   lms.canvas(gradebookText, canvasExportText, book, {mode: "sets"|"total", totalName?}) -> {csv, matched,
 *       unmatched, ambiguous, missing, columns}; lms.plain(gradebookText, setId?) -> {csv, count}; both throw
 *       LmsError(message) as grader/lms.py does. They read the gradebook CSV text (gradebookCsv's), as the CLI reads
 *       the gradebook file; a run may be given instead of the text.
 *
 * run = {students: [student], issues: [{path, level, message, fix}], items, firstById}; student = {file, studentId,
 *   studentName, exportedAt, answers: {itemId: value}, answerText: {itemId: compact JSON as Python writes it},
 *   scores: {itemId: Score (sw-core.js: {earned: Frac, possible: Frac, status, reason, details})},
 *   skipped: {itemId: why}, rubric: {itemId: {criterionId: Frac}}, comments: {itemId: [text]}, total, possible
 *   (Frac), percent (text, "" when nothing scored), sets: {setId: {earned, possible}}}. Frac's String() is "p/q".
 *
 * Known differences from the CLI (input the book never writes): an encrypted zip member is reported as damaged, not
 * as encrypted; a damaged member's parenthesis has the decompressor's words, not zlib's; a member whose data fails
 * its CRC but still unpacks is read (fflate does not check CRCs; Python rejects it); a member name without the
 * zip's UTF-8 flag is read as Latin-1 (Python reads CP437); JSON nested deeper than MAX_DEPTH is refused (Python's
 * limit depends on its stack, about 950); an "internal error" names the JS error.
 */
(function (root) {
  "use strict";

  const S = root.SourceworkScoring;
  const { Frac } = S;

  // ---------------------------------------------------------------------------- Python's text, where words match

  // str.strip()'s whitespace (str.isspace), which is not String.prototype.trim's.
  const PY_SPACE = "\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004" +
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
  const SPACE = new Set(PY_SPACE);
  /** Python's str.strip(). @param {string} s */
  function pyStrip(s) {
    let start = 0;
    let end = s.length;
    while (start < end && SPACE.has(s[start])) start++;
    while (end > start && SPACE.has(s[end - 1])) end--;
    return start === 0 && end === s.length ? s : s.slice(start, end);
  }
  /** Whether bool(s.strip()) in Python. @param {string} s */
  const hasText = (s) => { for (let i = 0; i < s.length; i++) if (!SPACE.has(s[i])) return true; return false; };
  /** Python's str.casefold(), as near as JS comes (full upper then lower case; final sigma folded). @param {string} s */
  const casefold = (s) => s.toUpperCase().toLowerCase().replace(/ς/g, "σ");
  /** grader.results.student_key. @param {string} id */
  const studentKey = (id) => casefold(pyStrip(id));

  const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
  /** Python's repr() of a str. @param {string} s */
  function pyRepr(s) {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of s) {
      const cp = /** @type {number} */ (ch.codePointAt(0));
      if (ch === quote || ch === "\\") out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (ch !== " " && NOT_PRINTABLE.test(ch)) {
        out += cp < 0x100 ? "\\x" + hex(cp, 2) : cp < 0x10000 ? "\\u" + hex(cp, 4) : "\\U" + hex(cp, 8);
      } else out += ch;
    }
    return out + quote;
  }
  /** @param {number} n @param {number} width */
  const hex = (n, width) => n.toString(16).padStart(width, "0");
  /** Python's f"{n:,}". @param {number} n */
  const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  /** Python's len() of a str: code points. @param {string} s */
  const pyLen = (s) => { let n = 0; for (const _ of s) n += 1; return n; };
  /** Python's s[:n]. @param {string} s @param {number} n */
  const pySlice = (s, n) => Array.from(s).slice(0, n).join("");
  /** Python's comparison of str (code point order, not UTF-16's). @param {string} a @param {string} b */
  function pyCompare(a, b) {
    if (a === b) return 0;
    const x = Array.from(a, (c) => /** @type {number} */ (c.codePointAt(0)));
    const y = Array.from(b, (c) => /** @type {number} */ (c.codePointAt(0)));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  /** What UTF-8 with errors="backslashreplace" makes of a lone surrogate (grader.gradebook.UNPAIRED). @param {string} s */
  const unpaired = (s) => (wellFormed(s) ? s : s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => "\\u" + hex(c.charCodeAt(0), 4)));
  /** Whether `s` has no lone surrogate. @param {string} s */
  const wellFormed = (s) => (typeof s.isWellFormed === "function" ? s.isWellFormed() : !/[\ud800-\udfff]/.test(s) ||
    !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s));
  /** html.escape(s, quote=True). @param {string} s */
  const htmlEscape = (s) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => HTML[c]) : s);
  const HTML = /** @type {Record<string, string>} */ ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "'": "&#x27;" });

  /** An issue (grader.results.Issue). @param {string} path @param {string} level @param {string} message */
  const issue = (path, level, message, fix = "") => ({ path, level, message, fix });

  // ------------------------------------------------------------------------------------------------ the book

  /** @param {any} book @returns {any[]} every item's to_dict, in set order (kept on the book) */
  function itemsOf(book) {
    if (!book._items) {
      book._items = book.sets.flatMap((/** @type {any} */ s) => s.items);
      Object.defineProperty(book, "_items", { enumerable: false });
    }
    return book._items;
  }

  // ------------------------------------------------------------------------------------------------ grading

  /** @param {bigint} a @param {bigint} b @returns {bigint} */
  const gcd = (a, b) => { while (b) [a, b] = [b, a % b]; return a < 0n ? -a : a; };

  /**
   * An exact sum of Fracs, added over their common denominator (results.exact_sum): adding them one by one reduces
   * every partial sum, which cost a third of the grading time. @param {Frac[]} values
   */
  function sum(values) {
    let common = 1n;
    for (const v of values) if (v.d !== 1n && common % v.d) common = (common / gcd(common, v.d)) * v.d;
    let total = 0n;
    for (const v of values) total += v.n * (common / v.d);
    return new Frac(total, common);
  }

  /** Points as the gradebook writes them (numbers.format_ratio: a whole number as is). @param {Frac} value */
  const formatPoints = (value) => (value.d === 1n ? String(value.n) : S.formatPoints(value));

  /**
   * (earned, possible, number of scored items) over `ids` (all if null), ungraded not counted (StudentResult.points).
   * @param {any} student @param {Set<string> | null} ids
   */
  function points(student, ids) {
    const scored = Object.entries(student.scores)
      .filter(([id, r]) => (ids === null || ids.has(id)) && r.status !== "ungraded").map(([, r]) => r);
    return { earned: sum(scored.map((r) => r.earned)), possible: sum(scored.map((r) => r.possible)),
      count: scored.length };
  }

  /** a / b (b not zero). @param {Frac} a @param {Frac} b */
  const divide = (a, b) => new Frac(a.n * b.d, a.d * b.n);

  /**
   * The gradebook's groups of items: every set, then every skill in use (gradebook.student_row), each as the
   * indexes of its items; kept on the book. @param {any} book @returns {{sets: number[][], skills: number[][]}}
   */
  function groupsOf(book) {
    if (!book._groups) {
      const items = itemsOf(book);
      const at = new Map(items.map((item, n) => [item.id, n]));
      book._groups = {
        sets: book.sets.map((/** @type {any} */ s) => s.items.map((/** @type {any} */ i) => at.get(i.id))),
        skills: book.skills.map((/** @type {string} */ k) => items.flatMap((item, n) => (item.skill === k ? [n] : []))),
      };
      Object.defineProperty(book, "_groups", { enumerable: false });
    }
    return book._groups;
  }

  /**
   * Refresh a student's totals (after scoring, after a rubric merge): total, possible, percent, sets {id: {earned,
   * possible, count}}, skills [{earned, count}] in book.skills order. @param {any} student @param {any} book
   */
  function refresh(student, book) {
    const items = itemsOf(book);
    const scored = items.map((item) => {
      const r = student.scores[item.id];
      return r && r.status !== "ungraded" ? r : null;
    });
    /** @param {number[]} indexes */
    const over = (indexes) => {
      const got = /** @type {any[]} */ (indexes.map((n) => scored[n]).filter(Boolean));
      return { earned: sum(got.map((r) => r.earned)), possible: sum(got.map((r) => r.possible)), count: got.length };
    };
    const all = over(items.map((_, n) => n));
    student.total = all.earned;
    student.possible = all.possible;
    student.percent = all.possible.n ? formatPoints(divide(all.earned.mul(Frac.of(100)), all.possible)) : "";
    const groups = groupsOf(book);
    student.sets = {};
    book.sets.forEach((/** @type {any} */ set, /** @type {number} */ n) => { student.sets[set.id] = over(groups.sets[n]); });
    student.skills = groups.skills.map(over);
  }

  /** grader.scoring_run._list. @param {string[]} values */
  function listed(values, limit = 10) {
    const shown = values.slice(0, limit).map((v) => pyRepr(pyLen(v) <= 60 ? v : pySlice(v, 59) + "…")).join(", ");
    return shown + (values.length > limit ? ` and ${values.length - limit} more` : "");
  }

  /**
   * Score one admitted student (scoring_run.score_student), its problems appended to `slot` in Python's order.
   * @param {any} student @param {any} book @param {any[]} items @param {Map<string, Map<string, any>>} memo
   * @param {any[]} slot
   */
  function scoreStudent(student, book, items, memo, slot) {
    const sub = student.submission;
    const hashes = book.hashes;
    /** @type {Record<string, string>} */
    const skipped = {};
    if (sub.contentHash !== book.content_hash) {
      for (const item of items) {
        const exported = sub.itemHashes.get(item.id);
        if (exported === undefined) skipped[item.id] = "not in the exercises this file was made from";
        else if (exported !== hashes[item.id]) skipped[item.id] = "changed since this file was made";
      }
    }
    /** @type {Record<string, any>} */
    const scores = {};
    for (const item of items) {
      if (Object.prototype.hasOwnProperty.call(skipped, item.id)) continue;
      const has = sub.answerIds.has(item.id);
      const text = has ? sub.answerText(item.id) : "";
      student.answerText[item.id] = text;
      const known = /** @type {Map<string, any>} */ (memo.get(item.id));
      const key = has ? text : "";
      let outcome = known.get(key);
      if (outcome === undefined) {
        outcome = S.score(item, has ? S.get(sub.answers, item.id) : undefined);
        known.set(key, outcome);
      }
      if (outcome.status === "invalid") {
        slot.push(issue(student.file, "problem", `${item.id}: the response could not be read, scored 0: ` +
          outcome.reason));
      }
      scores[item.id] = outcome;
    }
    student.scores = scores;
    student.skipped = skipped;
    for (const reason of new Set(Object.values(skipped))) {
      const ids = Object.keys(skipped).filter((id) => skipped[id] === reason);
      slot.push(issue(student.file, "problem", `not graded (${reason}): ${ids.join(", ")}.`));
    }
    const unknown = [...sub.answerIds].filter((id) => !Object.prototype.hasOwnProperty.call(hashes, id));
    if (unknown.length) {
      slot.push(issue(student.file, "problem", "answers to items that are not in the current exercises were not " +
        `graded: ${listed(unknown)}.`));
    }
  }

  /**
   * Check one read submission (admit.admit): the student to score, or null (rejected; its issues in `slot`).
   * @param {any} found {submission} or {rejection} @param {string} name @param {any[]} slot @param {any} book
   * @param {Map<string, any>} firstById
   */
  function admit(found, name, slot, book, firstById) {
    if (found.rejection) {
      slot.push(issue(name, "rejected", `not graded: ${found.rejection.reason}`, found.rejection.fix));
      return null;
    }
    const sub = found.submission;
    const key = studentKey(sub.studentId);
    const first = firstById.get(key);
    if (first) {
      slot.push(issue(name, "rejected", `not graded: Student ID ${pyRepr(sub.studentId)} is also in ` +
        `${first.file}, which was graded.`, "If this is a resubmission, grade only the file you want; if two " +
        "students typed the same id, correct one of them and grade again."));
      slot.push(issue(first.file, "warning", `Student ID ${pyRepr(sub.studentId)} is also in ${name}, ` +
        "which was not graded."));
      return null;
    }
    for (const warning of sub.warnings) slot.push(issue(name, "warning", warning));
    if (sub.contentHash !== book.content_hash) {
      slot.push(issue(name, "warning", "the file was made from other exercises (its content hash differs from " +
        "the current one); only items whose definitions are unchanged are graded."));
    }
    const student = { file: name, studentId: sub.studentId, studentName: sub.studentName, exportedAt: sub.exportedAt,
      submission: sub, answers: sub.answers, responses: sub.answers, answerText: {}, scores: {}, skipped: {}, rubric: {}, comments: {},
      total: S.ZERO, possible: S.ZERO, percent: "", sets: {} };
    firstById.set(key, student);
    return student;
  }

  /** @returns {Promise<void>} */
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  /** The longest the engine works before it lets the page answer (a click, a repaint of the progress), in ms. */
  const SLICE_MS = 40;

  /**
   * Grade every entry of expandInputs against `book` (grade.grade_files). Never throws on a bad file.
   * @param {any[]} entries @param {any} book
   * @param {{rubricRows?: any[], rubricIssues?: any[], rubricName?: string,
   *   onProgress?: (done: number, total: number, name: string) => void, every?: number}} [options]
   */
  async function gradeClass(entries, book, options = {}) {
    const G = root.SourceworkGrader;
    const items = itemsOf(book);
    const memo = new Map(items.map((i) => [i.id, new Map()]));
    /** @type {Map<string, any>} */
    const firstById = new Map();
    const run = { students: /** @type {any[]} */ ([]), issues: /** @type {any[]} */ ([]), items, firstById, book };
    const total = entries.filter((e) => !e.issue).length;
    const every = options.every || 25;
    let done = 0;
    let since = Date.now();
    for (const entry of entries) {
      if (entry.issue) {
        run.issues.push(issue(entry.name, entry.issue.level, entry.issue.message, entry.issue.fix || ""));
        continue;
      }
      /** @type {any[]} */
      const slot = [];
      const name = entry.name;
      /** @type {any} */
      let student = null;
      try {
        const found = entry.rejection ? { rejection: entry.rejection } : G.readSubmission(entry.bytes, name, !entry.member);
        student = admit(found, name, slot, book, firstById);
        if (student) {
          scoreStudent(student, book, items, memo, slot);
          refresh(student, book);
          run.students.push(student);
        }
      } catch (error) { // a bug must not cost the other students their grades
        if (student && firstById.get(studentKey(student.studentId)) === student) {
          firstById.delete(studentKey(student.studentId));
        }
        const e = /** @type {any} */ (error);
        slot.push(issue(name, "rejected", `not graded: internal error ${e && e.name}: ${e && e.message}.`,
          "Please report this as a sourcework bug, with the file."));
      }
      run.issues.push(...slot);
      done += 1;
      if (options.onProgress) options.onProgress(done, total, name);
      if (done % every === 0 || Date.now() - since >= SLICE_MS) {
        await pause();
        since = Date.now();
      }
    }
    if (options.rubricRows || options.rubricIssues) {
      mergeRubric(run, options.rubricRows || [], options.rubricIssues || [], options.rubricName || "rubric.csv");
    }
    return run;
  }

  // ------------------------------------------------------------------------------------------------ rubric merge

  /**
   * core.scoring.score_rubric: a constructed response scored from the teacher's levels (criterion id → points, in
   * the order given). @param {any} item @param {Map<string, unknown>} levels
   */
  function scoreRubric(item, levels) {
    const rubric = Array.isArray(item.rubric) ? item.rubric : [];
    const possible = sum(rubric.map((/** @type {any} */ c) => Frac.of(Math.max(...c.levels.map((/** @type {any} */ l) => l.points)))));
    const known = new Set(rubric.map((/** @type {any} */ c) => c.id));
    for (const id of levels.keys()) {
      if (!known.has(id)) return S.invalid(possible, `Unknown rubric criterion "${id}".`);
    }
    let earned = S.ZERO;
    /** @type {Record<string, Frac>} */
    const given = {};
    for (const c of rubric) {
      if (!levels.has(c.id)) {
        return S.invalid(possible, `No level given for criterion "${c.id}".`);
      }
      const raw = levels.get(c.id);
      const text = typeof raw === "string" ? raw.replace(/^[ \t\n\r\f\v\u00a0\u202f]+|[ \t\n\r\f\v\u00a0\u202f]+$/g, "") : "";
      const value = typeof raw === "number" && Number.isInteger(raw) ? raw : /^[0-9]{1,6}$/.test(text) ? Number(text) : null;
      if (value === null || !c.levels.some((/** @type {any} */ l) => l.points === value)) {
        const allowed = c.levels.map((/** @type {any} */ l) => String(l.points)).join(", ");
        const shown = typeof raw === "string" ? pyRepr(raw) : String(raw);
        return S.invalid(possible, `Criterion "${c.id}" has no level worth ${shown}; its levels are ${allowed}.`);
      }
      given[c.id] = Frac.of(value);
      earned = earned.add(given[c.id]);
    }
    const status = earned.cmp(possible) === 0 ? "correct" : earned.cmp(S.ZERO) === 0 ? "incorrect" : "partial";
    return { earned, possible, status, reason: `Rubric score ${earned} of ${possible}.`, details: { levels: given } };
  }

  /**
   * rubric.merge_rubric: merge rubric rows (and the issues found reading them) into `run`, in place.
   * @param {any} run @param {any[]} rows @param {any[]} readIssues @param {string} path
   */
  function mergeRubric(run, rows, readIssues = [], path = "rubric.csv") {
    if (!Array.isArray(readIssues)) readIssues = []; // called as the contract first had it: (run, rows, book)
    if (typeof path !== "string") path = "rubric.csv";
    // Rows from the rubric screen may carry no line: theirs in the CSV rubricCsv.write(rows) would write.
    rows = rows.map((row, n) => (row.line ? row : { ...row, line: n + 2 }));
    run.issues.push(...readIssues);
    const byId = new Map(run.items.map((/** @type {any} */ i) => [i.id, i]));
    const firstById = run.firstById;
    /** @type {Map<string, {key: string, item: string, levels: Map<string, [string, number]>, comments: string[], line: number}>} */
    const groups = new Map();
    /** @type {Map<string, string>} */
    const shown = new Map();
    for (const row of rows) {
      let key = studentKey(row.studentId);
      if (!firstById.has(key) && row.studentId.startsWith("'")) key = studentKey(row.studentId.slice(1));
      if (!shown.has(key)) shown.set(key, row.studentId);
      const groupKey = JSON.stringify([key, row.itemId]);
      let group = groups.get(groupKey);
      if (!group) {
        group = { key, item: row.itemId, levels: new Map(), comments: [], line: row.line };
        groups.set(groupKey, group);
      }
      if (row.comment && !group.comments.includes(row.comment)) group.comments.push(row.comment);
      if (!row.criterionId) continue;
      const before = group.levels.get(row.criterionId);
      if (before) {
        run.issues.push(issue(`${path}:${row.line}`, "problem", `criterion ${pyRepr(row.criterionId)} of ` +
          `${row.itemId} for student ${pyRepr(row.studentId)} is already scored on line ${before[1]}; this row ` +
          "was ignored.", "Keep one row per student, item and criterion."));
        continue;
      }
      group.levels.set(row.criterionId, [row.points, row.line]);
    }
    for (const group of groups.values()) {
      const where = `${path}:${group.line}`;
      const studentId = /** @type {string} */ (shown.get(group.key));
      const result = firstById.get(group.key);
      const item = byId.get(group.item);
      const itemId = group.item;
      const what = group.levels.size ? "rubric levels" : "comments";
      if (!result) {
        run.issues.push(issue(where, "problem", `no graded submission has Student ID ${pyRepr(studentId)}; its ` +
          `${what} for ${itemId} were not merged.`));
        continue;
      }
      if (!item) {
        run.issues.push(issue(where, "problem", `item ${pyRepr(itemId)} is not in the current exercises; the ` +
          `${what} for student ${pyRepr(studentId)} were not merged.`));
        continue;
      }
      if (group.comments.length) result.comments[itemId] = group.comments;
      if (!group.levels.size) continue;
      if (item.type !== "response") {
        run.issues.push(issue(where, "problem", `item ${pyRepr(itemId)} is a ${item.type} item, not a response; ` +
          `the rubric levels for student ${pyRepr(studentId)} were not merged.`));
      } else if (!Object.prototype.hasOwnProperty.call(result.scores, itemId)) {
        run.issues.push(issue(where, "problem", `${itemId} was not graded for student ${pyRepr(studentId)} ` +
          `(${result.skipped[itemId] || "not graded"}); its rubric levels were not merged.`));
      } else {
        const rated = scoreRubric(item, new Map([...group.levels].map(([criterion, [pts]]) => [criterion, pts])));
        if (rated.status === "invalid") {
          run.issues.push(issue(where, "problem", `${itemId} for student ${pyRepr(studentId)}: ${rated.reason} ` +
            "The rubric levels were not merged."));
          continue;
        }
        result.scores[itemId] = rated;
        result.rubric[itemId] = { ...rated.details.levels };
        refresh(result, run.book);
      }
    }
    return run;
  }

  root.SourceworkGrader = Object.assign(root.SourceworkGrader || {}, {
    pause, SLICE_MS, gradeClass, mergeRubric, scoreRubric, points, refresh, itemsOf, formatPoints,
    py: { strip: pyStrip, hasText, casefold, studentKey, repr: pyRepr, thousands, len: pyLen, slice: pySlice,
      compare: pyCompare, unpaired, htmlEscape, hex },
    issue,
  });
})(/** @type {any} */ (globalThis));
