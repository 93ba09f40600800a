// @ts-check
/**
 * sw-grade-csv.js: the CSV files of the class-grading page, as the command line writes and reads them: the gradebook
 * (grader/gradebook.py: byte order mark, the formula guard, the response columns), the rubric-scores CSV
 * (grader/rubric.py) and Python's csv module's writer (excel dialect: CRLF, quoted only where needed) and reader
 * (line numbers counted as csv.reader's line_num counts them). See sw-grade-core.js for the API.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const S = root.SourceworkScoring;

  const DANGEROUS = ["=", "+", "-", "@", "\t", "\r", "\u2212", "'"];
  const RUBRIC_COLUMNS = ["student_id", "item_id", "criterion_id", "points"];

  /** gradebook.neutralise: a leading apostrophe on a cell that a spreadsheet would run. @param {string} cell */
  const neutralise = (cell) => (DANGEROUS.some((d) => cell.startsWith(d)) ? "'" + cell : cell);

  /** One cell as csv.writer (QUOTE_MINIMAL) writes it. @param {string} cell */
  const cellText = (cell) => (/[",\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell);

  /** Rows as csv.writer writes them (CRLF after every row). @param {string[][]} rows */
  const writeRows = (rows) => rows.map((row) => (row.length === 1 && row[0] === "" ? '""' : row.map(cellText).join(",")) + "\r\n").join("");

  /**
   * Python's csv.reader (excel dialect, not strict) over text split into lines as io.StringIO(newline="") splits
   * it: [{cells, line}] where line is reader.line_num after the row (its last physical line).
   * @param {string} text @param {string} [delimiter]
   */
  function readRows(text, delimiter = ",") {
    const lines = text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) || [];
    /** @type {{cells: string[], line: number}[]} */
    const rows = [];
    let lineNum = 0;
    let k = 0;
    while (k < lines.length) {
      /** @type {string[]} */
      const cells = [];
      let field = "";
      let state = "start"; // start, field, quoted, quote-in-quoted
      let done = false;
      while (!done) {
        if (k >= lines.length) { // inside a quoted field at the end: csv.reader (not strict) keeps what it read
          cells.push(field);
          break;
        }
        const line = lines[k++];
        lineNum += 1;
        for (const c of line) {
          if (c === "\r" || c === "\n") {
            if (state === "quoted") { field += c; continue; }
            if (state !== "start" || cells.length || field) { cells.push(field); }
            field = ""; state = "start"; done = true;
            break;
          }
          if (state === "start" || state === "field") {
            if (state === "start" && c === '"') { state = "quoted"; continue; }
            if (c === delimiter) { cells.push(field); field = ""; state = "start"; continue; }
            field += c; state = "field";
          } else if (state === "quoted") {
            if (c === '"') state = "quote-in-quoted";
            else field += c;
          } else if (c === '"') { field += '"'; state = "quoted"; } // quote-in-quoted: a doubled quote
          else if (c === delimiter) { cells.push(field); field = ""; state = "start"; }
          else { field += c; state = "field"; }
        }
        if (!done && state !== "quoted") { // the last line had no line end
          if (state !== "start" || cells.length || field) cells.push(field);
          done = true;
        }
      }
      rows.push({ cells, line: lineNum });
    }
    return rows;
  }

  // ------------------------------------------------------------------------------------------------ gradebook

  /** gradebook.gradebook_rows: (header, rows) of plain cells, before the formula guard. @param {any} run @param {any} book */
  function gradebookRows(run, book) {
    const items = G.itemsOf(book);
    const head = ["student_id", "student_name", "file", "total", "possible", "percent",
      ...book.sets.map((/** @type {any} */ s) => `set:${s.id}`), ...book.skills.map((/** @type {string} */ k) => `skill:${k}`),
      ...items.map((i) => `item:${i.id}`),
      ...items.flatMap((i) => (i.rubric || []).map((/** @type {any} */ c) => `rubric:${i.id}:${c.id}`)),
      ...items.map((i) => `response:${i.id}`)];
    const fmt = G.formatPoints;
    const rows = run.students.map((/** @type {any} */ st) => {
      const cells = [st.studentId, st.studentName, st.file, fmt(st.total), fmt(st.possible), st.percent];
      for (const set of book.sets) cells.push(st.sets[set.id].count ? fmt(st.sets[set.id].earned) : "");
      for (const got of st.skills) cells.push(got.count ? fmt(got.earned) : "");
      for (const item of items) {
        const r = st.scores[item.id];
        cells.push(r && r.status !== "ungraded" ? fmt(r.earned) : "");
      }
      for (const item of items) {
        const levels = st.rubric[item.id] || {};
        for (const c of item.rubric || []) cells.push(levels[c.id] ? fmt(levels[c.id]) : "");
      }
      for (const item of items) {
        const has = Object.prototype.hasOwnProperty.call(st.scores, item.id) && st.submission.answerIds.has(item.id);
        cells.push(has ? st.answerText[item.id] : "");
      }
      return cells;
    });
    return { head, rows };
  }

  /**
   * The gradebook CSV's text, as write_gradebook writes it: encoded as UTF-8 it is the CLI's file byte for byte
   * (a lone surrogate is already written as the text \udXXXX, as UTF-8's backslashreplace does).
   * @param {any} run @param {any} book
   */
  function gradebookCsv(run, book) {
    const { head, rows } = gradebookRows(run, book);
    return "\ufeff" + [head, ...rows].map((row) => G.py.unpaired(writeRows([row.map(neutralise)]))).join("");
  }

  /**
   * gradebookCsv, yielding to the event loop every SLICE_MS while it writes the rows (a class of 1,000 makes a
   * gradebook of some 12 MB): the same text. @param {any} run @param {any} book
   */
  async function gradebookCsvAsync(run, book) {
    const { head, rows } = gradebookRows(run, book);
    const parts = ["\ufeff"];
    let since = Date.now();
    for (const row of [head, ...rows]) {
      parts.push(G.py.unpaired(writeRows([row.map(neutralise)])));
      if (Date.now() - since >= G.SLICE_MS) {
        await G.pause();
        since = Date.now();
      }
    }
    return parts.join("");
  }

  // ------------------------------------------------------------------------------------------------ rubric scores

  /**
   * rubric.read_rubric_scores on a file's bytes: not UTF-8 is an issue, a byte order mark is dropped.
   * @param {Uint8Array} bytes @param {string} name
   */
  function parseRubricBytes(bytes, name) {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    if (G.badUtf8(bytes.subarray(bom)) !== -1) {
      return { rows: [], issues: [G.issue(name, "problem", "the rubric scores are not UTF-8 text; no rubric levels " +
        "were merged.", "Save the file as 'CSV UTF-8'.")] };
    }
    return parseRubric(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(bom)), name);
  }

  /**
   * rubric.read_rubric_scores on text: {rows: [{line, studentId, itemId, criterionId, points, comment}], issues}.
   * @param {string} text @param {string} name
   */
  function parseRubric(text, name = "rubric.csv") {
    if (typeof name !== "string") name = "rubric.csv";
    if (text.startsWith("\ufeff")) text = text.slice(1);
    const firstLine = text.split("\n", 1)[0];
    const count = (/** @type {string} */ d) => firstLine.split(d).length - 1;
    const delimiter = [",", ";", "\t"].reduce((best, d) => (count(d) > count(best) ? d : best));
    const all = readRows(text, delimiter);
    const header = (all.length ? all[0].cells : []).map((c) => G.py.strip(c).toLowerCase());
    const missing = RUBRIC_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) {
      return { rows: [], issues: [G.issue(name, "problem", `the header lacks ${missing.join(", ")}; no rubric levels ` +
        "were merged.", `Start the file with the line '${RUBRIC_COLUMNS.join(",")}'.`)] };
    }
    const where = [...RUBRIC_COLUMNS, "comment"].filter((c) => header.includes(c)).map((c) => header.indexOf(c));
    const rows = [];
    const issues = [];
    for (const { cells: row, line } of all.slice(1)) {
      if (!row.some((c) => G.py.strip(c))) continue;
      const cells = [...where.map((i) => (i < row.length ? G.py.strip(row[i]) : "")), ""];
      const [studentId, itemId, criterionId, points, comment] = cells;
      if (studentId && itemId && comment && !criterionId && !points) {
        rows.push({ line, studentId, itemId, criterionId: "", points: "", comment });
        continue;
      }
      if (!(studentId && itemId && criterionId && points)) {
        issues.push(G.issue(`${name}:${line}`, "problem", "a row lacks a Student ID, item id, criterion id or " +
          "points; it was not merged.", "Fill in all four columns."));
        continue;
      }
      rows.push({ line, studentId, itemId, criterionId, points, comment });
    }
    return { rows, issues };
  }

  /**
   * A rubric-scores CSV of `rows` (student_id,item_id,criterion_id,points,comment; UTF-8 text, no byte order mark),
   * every cell through the formula guard as every CSV sourcework writes: read back by the CLI or by parse, a comment
   * that starts with = + - @ keeps the guard's apostrophe (an id does not: merging undoes it).
   * @param {{studentId: string, itemId: string, criterionId?: string, points?: string | number, comment?: string}[]} rows
   */
  function writeRubric(rows) {
    const body = rows.map((r) => [r.studentId, r.itemId, r.criterionId || "", String(r.points ?? ""), r.comment || ""]);
    return G.py.unpaired(writeRows([[...RUBRIC_COLUMNS, "comment"], ...body].map((row) => row.map(neutralise))));
  }

  /** The rubric rows of a run: its merged levels and comments, in student and item order. @param {any} run */
  function rubricRowsOf(run) {
    const rows = [];
    for (const st of run.students) {
      for (const item of run.items) {
        const levels = st.rubric[item.id] || {};
        const comments = st.comments[item.id] || [];
        const criteria = (item.rubric || []).filter((/** @type {any} */ c) => levels[c.id]);
        criteria.forEach((/** @type {any} */ c, /** @type {number} */ n) => rows.push({ studentId: st.studentId,
          itemId: item.id, criterionId: c.id, points: String(levels[c.id]), comment: comments[n] || "" }));
        for (const comment of comments.slice(criteria.length)) {
          rows.push({ studentId: st.studentId, itemId: item.id, criterionId: "", points: "", comment });
        }
      }
    }
    return rows;
  }

  G.rubricCsv = { parse: parseRubric, parseBytes: parseRubricBytes, write: writeRubric, rowsOf: rubricRowsOf,
    COLUMNS: RUBRIC_COLUMNS };
  Object.assign(G, { gradebookCsv, gradebookCsvAsync, gradebookRows, neutralise, csv: { write: writeRows, read: readRows } });
})(/** @type {any} */ (globalThis));
