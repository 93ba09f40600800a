// @ts-check
/**
 * sw-grade-page.js: the class-grading page (instructor edition only; the `{class-grading}` directive). It builds
 * the tool in `#sw-grade` and wires it to the grading engine (`window.SourceworkGrader`, sw-grade-core.js), the zip
 * writer (`window.SourceworkZip.zipSync`, sw-zip.js) and the rubric screen (`window.SourceworkGradeRubric`).
 *
 * Everything happens in this browser: files come from file inputs (many files; a folder, webkitdirectory) or a drop
 * (folders read through webkitGetAsEntry), zips are opened by the engine, nothing is fetched or sent, and every
 * export is a download made from a Blob (an `a[download]`, which works from file://).
 *
 * Sections: Load the class (inputs, progress bar, a `role="status"` line), Files with issues (the grader's own
 * words), Class results (a table sortable by name, id, total and each set: buttons in the headers, `aria-sort`),
 * Score written answers (sw-grade-rubric.js), Export (gradebook CSV, feedback pages zip, rubric scores CSV export
 * and import, Canvas import CSV, plain `student_id,points` CSV). The book's data (keys, rubrics) is the JSON in
 * `script#sw-class-book`. All text reaches the page through textContent, never as HTML.
 */
(function (root) {
  "use strict";

  /** The element maker of sw-grade-rubric.js (loaded just before this file). */
  const el = root.SourceworkGradeRubric.el;

  /** "p/q", a number or a bigint fraction as a JS number (for sorting). */
  function num(value) {
    if (value === undefined || value === null || value === "") return NaN;
    const text = String(value);
    const slash = text.indexOf("/");
    return slash < 0 ? Number(text) : Number(text.slice(0, slash)) / Number(text.slice(slash + 1));
  }

  /** Points as the gradebook writes them: a whole number, or a decimal with up to two places. */
  function pts(value) {
    const n = num(value);
    if (Number.isNaN(n)) return "";
    return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
  }

  /** "1 file", "2 files". @param {number} n @param {string} word */
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  /** @param {string} name @param {BlobPart} data @param {string} type */
  function download(name, data, type) {
    const url = URL.createObjectURL(new Blob([data], {type}));
    const link = el("a", {href: url, download: name, hidden: ""});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** @param {File} file @returns {Promise<Uint8Array>} */
  async function bytesOf(file) {
    return new Uint8Array(await file.arrayBuffer());
  }

  /** The files under a dropped folder, with their paths (webkitGetAsEntry). */
  async function walk(entry, prefix, out) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({path: prefix + entry.name, file});
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, prefix + entry.name + "/", out);
      }
    }
  }

  const RUBRIC_NAME = "rubric-scores.csv"; // what the rubric rows' issues call the teacher's scores

  function start(mountPoint) {
    const G = root.SourceworkGrader;
    const R = root.SourceworkGradeRubric;
    const Z = root.SourceworkZip;
    const dataNode = document.getElementById("sw-class-book");
    if (!G || !R || !Z || !dataNode) {
      mountPoint.replaceChildren(el("p", {role: "alert", text: "The grading tool could not start: a script of this "
        + "page is missing. Open the page from the unzipped instructor edition, with all its files."}));
      return;
    }
    const book = JSON.parse(dataNode.textContent || "{}");

    /** @type {{path: string, bytes: Uint8Array}[]} */
    let inputs = [];
    let run = null;
    let baseRun = null;
    let sortKey = "name";
    let sortDir = 1;
    let regrade = 0;
    let busy = Promise.resolve();

    // ----------------------------------------------------------------------------------------- Load the class
    const filesInput = /** @type {HTMLInputElement} */ (el("input", {type: "file", id: "swg-files", multiple: "",
      accept: ".json,.zip,application/json,application/zip"}));
    const folderInput = /** @type {HTMLInputElement} */ (el("input", {type: "file", id: "swg-folder",
      webkitdirectory: "", multiple: ""}));
    const clear = el("button", {type: "button", class: "sw-grade-button", id: "swg-clear", text: "Start over"});
    const bar = /** @type {HTMLProgressElement} */ (el("progress", {id: "swg-progress", max: "1", value: "0",
      "aria-label": "Grading progress"}));
    const status = el("p", {role: "status", id: "swg-status", class: "sw-grade-status"});
    const drop = el("div", {class: "sw-grade-drop", id: "swg-drop"}, [el("p", {text: "Or drop answer files, "
      + "folders or zips here."})]);
    const load = el("section", {class: "sw-grade-load", "aria-labelledby": "swg-load-h"}, [
      el("h2", {id: "swg-load-h", text: "Load the class"}),
      el("div", {class: "sw-grade-pickers"}, [
        el("p", {}, [el("label", {for: "swg-files", text: "Add files (answer files or zips): "}), filesInput]),
        el("p", {}, [el("label", {for: "swg-folder", text: "Add a folder: "}), folderInput])]),
      drop,
      el("p", {}, [clear]),
      bar, status]);

    // ----------------------------------------------------------------------------------------- Issues
    const issuesList = el("ul", {class: "sw-grade-issue-list", id: "swg-issues"});
    const issuesNote = el("p");
    const issues = el("section", {class: "sw-grade-issues", "aria-labelledby": "swg-issues-h", hidden: ""}, [
      el("h2", {id: "swg-issues-h", text: "Files with issues"}), issuesNote, issuesList]);

    // ----------------------------------------------------------------------------------------- Class table
    const table = el("table", {class: "sw-grade-table", id: "swg-table"});
    const classNote = el("p", {id: "swg-class-note"});
    const results = el("section", {class: "sw-grade-results", "aria-labelledby": "swg-class-h", hidden: ""}, [
      el("h2", {id: "swg-class-h", text: "Class results"}), classNote,
      el("div", {class: "sw-grade-table-wrap", role: "region", "aria-labelledby": "swg-class-h", tabindex: "0"},
        [table])]);

    // ----------------------------------------------------------------------------------------- Rubric
    const rubricSection = el("section", {class: "sw-grade-rubric", "aria-labelledby": "swg-rubric-h", hidden: ""});
    const rubric = R.mount(rubricSection, book, () => scheduleRegrade());

    // ----------------------------------------------------------------------------------------- Export
    const exportStatus = el("p", {role: "status", id: "swg-export-status", class: "sw-grade-status"});
    const button = (id, text) => el("button", {type: "button", class: "sw-grade-button", id, text});
    const rubricImport = /** @type {HTMLInputElement} */ (el("input", {type: "file", id: "swg-rubric-import",
      accept: ".csv,text/csv"}));
    const canvasFile = /** @type {HTMLInputElement} */ (el("input", {type: "file", id: "swg-canvas-file",
      accept: ".csv,text/csv"}));
    const modeSets = el("input", {type: "radio", name: "swg-canvas-mode", id: "swg-mode-sets", value: "sets"});
    modeSets.setAttribute("checked", "");
    const modeTotal = el("input", {type: "radio", name: "swg-canvas-mode", id: "swg-mode-total", value: "total"});
    const plainSet = /** @type {HTMLSelectElement} */ (el("select", {id: "swg-plain-set"},
      // A Total is out of every set's points: a file holds every set the student answered, not only those assigned.
      [el("option", {value: "", text: `Total of every set (out of ${pts(book.sets.reduce((sum, s) => sum + num(s.points), 0))})`}),
        ...book.sets.map((s) => el("option", {value: s.id, text: `${s.title} (out of ${pts(s.points)})`}))]));
    const unmatched = el("div", {id: "swg-unmatched", class: "sw-grade-unmatched"});
    const exportSection = el("section", {class: "sw-grade-export", "aria-labelledby": "swg-export-h", hidden: ""}, [
      el("h2", {id: "swg-export-h", text: "Export"}),
      el("p", {class: "sw-grade-row"}, [button("swg-gradebook", "Gradebook CSV"),
        button("swg-feedback", "Feedback pages (zip)")]),
      el("h3", {text: "Rubric scores"}),
      el("p", {class: "sw-grade-row"}, [button("swg-rubric-export", "Export rubric scores (CSV)")]),
      el("p", {}, [el("label", {for: "swg-rubric-import", text: "Import rubric scores (CSV): "}), rubricImport]),
      el("h3", {text: "Canvas"}),
      el("p", {}, [el("label", {for: "swg-canvas-file", text: "Your Canvas gradebook export (CSV): "}),
        canvasFile]),
      el("fieldset", {class: "sw-grade-mode"}, [el("legend", {text: "Columns in Canvas"}),
        el("p", {}, [modeSets, el("label", {for: "swg-mode-sets", text: " One column per exercise set"})]),
        el("p", {}, [modeTotal, el("label", {for: "swg-mode-total", text: " One total column"})])]),
      el("p", {}, [button("swg-canvas", "Canvas import CSV")]),
      unmatched,
      el("h3", {text: "Moodle, D2L and others"}),
      el("p", {}, [el("label", {for: "swg-plain-set", text: "Points of: "}), plainSet, " ",
        button("swg-plain", "Plain CSV (student_id,points)")]),
      exportStatus]);

    mountPoint.replaceChildren(load, issues, results, rubricSection, exportSection);

    // ----------------------------------------------------------------------------------------- loading
    function setProgress(done, total) {
      bar.max = Math.max(total, 1);
      bar.value = done;
    }

    async function addFiles(list) {
      if (!list.length) return;
      status.textContent = `Reading ${list.length} file${list.length === 1 ? "" : "s"}…`;
      const added = [];
      for (const {path, file} of list) added.push({path, bytes: await bytesOf(file)});
      const more = inputs.length > 0;
      const byPath = new Map(inputs.map((i) => [i.path, i]));
      for (const a of added) byPath.set(a.path, a);
      inputs = [...byPath.values()];
      await grade(true, more);
    }

    /** The class's storage key: the book's content hash and the files' names and sizes. */
    function classKey() {
      const list = inputs.map((i) => `${i.path}\u0000${i.bytes.length}`).sort().join("\n");
      return `${String(book.content_hash).slice(0, 16)}/${R.hash(list).toString(36)}`;
    }

    async function rubricRows() {
      const rows = rubric.rows();
      if (!rows.length) return [];
      return G.rubricCsv.parse(G.rubricCsv.write(rows), RUBRIC_NAME).rows;
    }

    async function grade(fresh, more) {
      const mine = ++regrade;
      let restored = 0;
      if (fresh) {
        restored = rubric.load(classKey(), more);
        status.textContent = `Grading ${inputs.length} file${inputs.length === 1 ? "" : "s"}…`;
      }
      const entries = G.expandInputs(inputs);
      const rows = await rubricRows();
      setProgress(0, entries.length);
      const graded = await G.gradeClass(entries, book, {rubricRows: rows, rubricName: RUBRIC_NAME,
        onProgress: (done, total) => { if (mine === regrade) setProgress(done, total); }});
      if (mine !== regrade) return;
      run = graded;
      if (fresh) {
        baseRun = graded;
        rubric.setTasks(R.tasksOf(baseRun, book));
      }
      show();
      if (fresh) {
        const n = run.students.length;
        const problems = run.issues.filter((i) => i.level !== "warning").length;
        const said = problems ? plural(problems, "issue") + " (listed below)." : "No file has an issue.";
        status.textContent = `Graded ${plural(n, "student")} from ${plural(inputs.length, "file")}. ${said} `
          + `${plural(rubric.total(), "written answer")} to score, ${rubric.scored()} scored`
          + (restored ? " (your earlier rubric scores for these files were restored)." : ".");
      }
    }

    function scheduleRegrade() {
      clearTimeout(/** @type {any} */ (scheduleRegrade).timer);
      /** @type {any} */ (scheduleRegrade).timer = setTimeout(() => {
        busy = busy.then(() => grade(false)).catch(fail);
      }, 800); // after a pause in scoring: a class of 1,000 files re-grades in a few seconds
    }

    function fail(error) {
      status.textContent = `Something went wrong while grading: ${error && error.message ? error.message : error}. `
        + "Nothing was sent anywhere. Try the files again, or use the sourcework grade command.";
      if (root.console) root.console.info(error);
    }

    const queue = (list) => { busy = busy.then(() => addFiles(list)).catch(fail); };
    filesInput.addEventListener("change", () => {
      queue([...(filesInput.files || [])].map((file) => ({path: file.name, file})));
      filesInput.value = "";
    });
    folderInput.addEventListener("change", () => {
      queue([...(folderInput.files || [])].map((file) => ({path: file.webkitRelativePath || file.name, file})));
      folderInput.value = "";
    });
    for (const type of ["dragenter", "dragover"]) {
      mountPoint.addEventListener(type, (event) => {
        event.preventDefault();
        drop.classList.add("sw-grade-over");
      });
    }
    mountPoint.addEventListener("dragleave", (event) => {
      if (!mountPoint.contains(/** @type {Node} */ (event.relatedTarget))) drop.classList.remove("sw-grade-over");
    });
    mountPoint.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("sw-grade-over");
      const transfer = event.dataTransfer;
      if (!transfer) return;
      const items = [...transfer.items].filter((i) => i.kind === "file");
      const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
      const files = [...transfer.files];
      busy = busy.then(async () => {
        const list = [];
        for (let n = 0; n < Math.max(entries.length, files.length); n++) {
          if (entries[n]) await walk(entries[n], "", list);
          else if (files[n]) list.push({path: files[n].name, file: files[n]});
        }
        await addFiles(list);
      }).catch(fail);
    });
    clear.addEventListener("click", () => {
      regrade++;
      inputs = [];
      run = baseRun = null;
      rubric.setTasks([]);
      for (const s of [issues, results, rubricSection, exportSection]) s.hidden = true;
      setProgress(0, 1);
      status.textContent = "Cleared. Add the class's files to start again. Rubric scores stay kept in this browser.";
    });

    // ----------------------------------------------------------------------------------------- showing
    function show() {
      showIssues();
      showTable();
      results.hidden = false;
      rubricSection.hidden = false;
      exportSection.hidden = false;
    }

    function showIssues() {
      const list = run.issues;
      issues.hidden = !list.length;
      issuesList.replaceChildren(...list.map((issue) => el("li", {class: `sw-grade-issue sw-grade-${issue.level}`}, [
        el("strong", {text: issue.level === "rejected" ? "Rejected" : issue.level === "warning" ? "Warning"
          : "Problem"}), ` ${issue.path}: ${issue.message}${issue.fix ? " " + issue.fix : ""}`])));
      const rejected = list.filter((i) => i.level === "rejected").length;
      issuesNote.textContent = `${list.length} issue${list.length === 1 ? "" : "s"}` + (rejected
        ? `; ${rejected} file${rejected === 1 ? " was" : "s were"} not graded.` : "; every file was graded.");
    }

    const columns = () => [
      {key: "name", label: "Name", value: (s) => s.studentName || "", text: (s) => s.studentName || ""},
      {key: "id", label: "Student ID", value: (s) => s.studentId, text: (s) => s.studentId},
      {key: "total", label: "Total", value: (s) => num(s.total), numeric: true,
        text: (s) => `${pts(s.total)} of ${pts(s.possible)}`},
      ...book.sets.map((set) => ({key: "set:" + set.id, label: set.title, numeric: true,
        value: (s) => (scoredIn(s, set.id) ? num(s.sets[set.id].earned) : -Infinity),
        text: (s) => (scoredIn(s, set.id) ? pts(s.sets[set.id].earned) : "–")}))];
    /** Whether anything was scored in the set (the gradebook's cell is empty otherwise). */
    const scoredIn = (s, id) => !!(s.sets && s.sets[id] && s.sets[id].count !== 0);

    function showTable() {
      const cols = columns();
      const col = cols.find((c) => c.key === sortKey) || cols[0];
      const rows = [...run.students].sort((a, b) => {
        const x = col.value(a), y = col.value(b);
        const order = col.numeric ? x - y : String(x).localeCompare(String(y), undefined, {sensitivity: "base"});
        return sortDir * (order || String(a.studentId).localeCompare(String(b.studentId)));
      });
      const head = el("tr", {}, cols.map((c) => {
        const th = el("th", {scope: "col", "data-col": c.key}, [el("button", {type: "button",
          class: "sw-grade-sort", "data-sort": c.key, text: c.label})]);
        if (c.key === sortKey) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        if (c.numeric) th.classList.add("sw-grade-num");
        return th;
      }));
      const body = rows.map((s) => el("tr", {}, cols.map((c, n) => {
        const cell = el(n === 0 ? "th" : "td", n === 0 ? {scope: "row"} : {}, [c.text(s)]);
        if (c.numeric) cell.classList.add("sw-grade-num");
        return cell;
      })));
      table.replaceChildren(
        el("caption", {text: `${run.students.length} student${run.students.length === 1 ? "" : "s"}, sorted by `
          + `${col.label} (${sortDir > 0 ? "ascending" : "descending"}). A dash: nothing graded in that set.`}),
        el("thead", {}, [head]), el("tbody", {}, body));
      classNote.textContent = "Total: the points earned of the points scored so far, as in the gradebook CSV (a "
        + "written answer counts once you have scored it). Sets: the points earned in each set.";
    }

    table.addEventListener("click", (event) => {
      const target = /** @type {HTMLElement} */ (event.target).closest("button[data-sort]");
      if (!target) return;
      const key = target.getAttribute("data-sort") || "name";
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      showTable();
      const again = /** @type {HTMLElement|null} */ (table.querySelector(`button[data-sort="${CSS.escape(key)}"]`));
      if (again) again.focus();
      const label = columns().find((c) => c.key === key);
      status.textContent = `Sorted by ${label ? label.label : key}, ${sortDir > 0 ? "ascending" : "descending"}.`;
    });

    // ----------------------------------------------------------------------------------------- exports
    const say = (text) => { exportStatus.textContent = text; };
    /** The class graded with every rubric level given so far (called inside the `busy` chain, after earlier work). */
    async function current() {
      clearTimeout(/** @type {any} */ (scheduleRegrade).timer);
      await grade(false);
      return run;
    }

    function on(id, work) {
      const node = /** @type {HTMLElement} */ (mountPoint.querySelector("#" + id));
      node.addEventListener("click", () => {
        busy = busy.then(work).catch((error) => say(`That did not work: ${error && error.message
          ? error.message : error}`));
      });
    }

    on("swg-gradebook", async () => {
      const graded = await current();
      download("gradebook.csv", G.gradebookCsv(graded, book), "text/csv;charset=utf-8");
      say(`Saved gradebook.csv: ${graded.students.length} students. Find it in your downloads.`);
    });
    on("swg-feedback", async () => {
      const graded = await current();
      const pages = await G.feedbackPages(graded, book);
      /** @type {Record<string, Uint8Array>} */
      const files = {};
      for (const page of pages) files["feedback/" + page.name] = Z.strToU8(page.html);
      download("feedback.zip", Z.zipSync(files, {level: 6}), "application/zip");
      say(`Saved feedback.zip: ${pages.length} feedback pages. Find it in your downloads.`);
    });
    on("swg-rubric-export", async () => {
      const rows = rubric.rows();
      download("rubric-scores.csv", G.rubricCsv.write(rows), "text/csv;charset=utf-8");
      say(`Saved rubric-scores.csv: ${rows.length} rows (${rubric.scored()} of ${rubric.total()} answers scored).`);
    });
    rubricImport.addEventListener("change", () => {
      const file = rubricImport.files && rubricImport.files[0];
      rubricImport.value = "";
      if (!file) return;
      busy = busy.then(async () => {
        const parsed = G.rubricCsv.parseBytes(await bytesOf(file), file.name);
        // a comment the export guarded against formulas ('=...) comes back as it was typed
        const rows = parsed.rows.map((r) => ({...r, comment: /^'[=+\-@\t\r\u2212']/.test(r.comment || "")
          ? r.comment.slice(1) : r.comment}));
        const problems = (parsed.issues || []).map((i) => `${i.path || file.name}: ${i.message}${i.fix
          ? " " + i.fix : ""}`);
        rubric.setRows(rows);
        say(`Imported ${rows.length} rubric rows from ${file.name}.` + (problems.length ? ` ${problems.length} `
          + `problem${problems.length === 1 ? "" : "s"}: ${problems.join(" ")}` : ""));
      }).catch((error) => say(`The rubric scores could not be read: ${error && error.message ? error.message
        : error}`));
    });
    on("swg-canvas", async () => {
      const file = canvasFile.files && canvasFile.files[0];
      if (!file) {
        say("First choose your Canvas gradebook export: in Canvas, open Grades, then Export, then choose that file "
          + "above.");
        canvasFile.focus();
        return;
      }
      const graded = await current();
      const mode = /** @type {HTMLInputElement} */ (modeTotal).checked ? "total" : "sets";
      const made = G.lms.canvas(G.gradebookCsv(graded, book), await file.text(), book,
        {mode, totalName: book.title || "Sourcework total"});
      download("canvas-import.csv", made.csv, "text/csv;charset=utf-8");
      showUnmatched(made);
      const missing = (made.unmatched || []).length + (made.ambiguous || []).length;
      say(`Saved canvas-import.csv: ${made.matched !== undefined ? made.matched + " students matched" : "done"}. `
        + (missing ? `${missing} not matched (listed above); import the file in Canvas under Grades, Import.`
          : "Every student was matched. Import the file in Canvas under Grades, Import."));
    });
    on("swg-plain", async () => {
      const graded = await current();
      const set = plainSet.value;
      const name = set ? "points-" + set + ".csv" : "points.csv";
      download(name, G.lms.plain(G.gradebookCsv(graded, book), set || undefined).csv, "text/csv;charset=utf-8");
      say(`Saved ${name}: student_id and points for Moodle and others; for D2L, rename the columns first ` +
        "(see step 4).");
    });

    function showUnmatched(made) {
      const groups = [
        ["Student IDs that match no Canvas student (left out)", made.unmatched || []],
        ["Student IDs that match more than one Canvas student (left out)", made.ambiguous || []],
        ["Canvas students with no graded submission", made.missing || []]];
      unmatched.replaceChildren();
      for (const [title, list] of groups) {
        if (!list.length) continue;
        unmatched.append(el("h4", {text: `${title}: ${list.length}`}),
          el("ul", {}, list.map((x) => el("li", {text: String(x)}))));
      }
    }
  }

  function boot() {
    const mountPoint = document.getElementById("sw-grade");
    if (mountPoint) start(mountPoint);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(typeof window !== "undefined" ? window : globalThis);
