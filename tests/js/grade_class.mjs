// Grades classes with the browser engine (sw-grade-*.js) under Node, for tests/test_grade_parity.py, which grades
// the same classes with `sourcework grade`'s Python and compares every output byte for byte.
//
//   node grade_class.mjs DIR FILES_JSON JOB_JSON
//
// Loads FILES (the scorer files a page loads, sw-zip.js, then sw-grade-core/json/admit/csv/feedback/lms.js) from DIR,
// each as a classic script in one vm context, as a browser runs them. JOB is
// {cwd, book, classes: [{name, inputs: [path], rubric?, canvasExport?, setId?}], checks?: [{name, b64, member}]}:
// each input path is handed over the way the page gets it (a folder as its files, each with the folder-relative path
// a folder input gives; a zip or a file as its bytes). Prints JSON: {classes: {name: outputs}, checks: [...]}.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

const [dir, filesJson, jobJson] = process.argv.slice(2);
const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, crypto: globalThis.crypto, Uint8Array });
for (const name of JSON.parse(filesJson)) {
  vm.runInContext(readFileSync(join(dir, name), "utf8"), context, { filename: join(dir, name) });
}
const G = context.SourceworkGrader;
const job = JSON.parse(readFileSync(jobJson, "utf8"));
const b64 = (text) => Buffer.from(text, "utf8").toString("base64");
const bytesOf = (path) => new Uint8Array(readFileSync(path));

/** Every file under `folder`, with its path relative to the class folder (as a folder input gives them). */
function walk(root, rel, out) {
  for (const name of readdirSync(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    if (statSync(join(root, path)).isDirectory()) walk(root, path, out);
    else out.push({ path, bytes: bytesOf(join(root, path)) });
  }
  return out;
}

const issues = (list) => list.map((i) => [i.path, i.level, i.message, i.fix]);
const out = { classes: {}, checks: [] };
for (const cls of job.classes) {
  const book = JSON.parse(readFileSync(cls.book || job.book, "utf8"));
  const cwd = join(job.cwd, cls.name);
  const files = [];
  for (const input of cls.inputs) {
    if (statSync(join(cwd, input)).isDirectory()) walk(cwd, input, files);
    else files.push({ path: input, bytes: bytesOf(join(cwd, input)) });
  }
  const progress = [];
  const options = { onProgress: (done, total, name) => progress.push([done, total, name]) };
  if (cls.rubric) {
    const read = G.rubricCsv.parseBytes(bytesOf(join(cwd, cls.rubric)), cls.rubric);
    Object.assign(options, { rubricRows: read.rows, rubricIssues: read.issues, rubricName: cls.rubric });
  }
  const run = await G.gradeClass(G.expandInputs(files), book, options);
  const gradebook = G.gradebookCsv(run, book);
  if ((await G.gradebookCsvAsync(run, book)) !== gradebook) throw new Error("gradebookCsvAsync differs");
  const result = {
    gradebook: b64(gradebook),
    issues: issues(run.issues),
    progress,
    feedback: (await G.feedbackPages(run, book)).map((p) => [p.name, b64(p.html)]),
    rubricCsv: b64(G.rubricCsv.write(G.rubricCsv.rowsOf(run))),
  };
  const reread = G.rubricCsv.parse(G.rubricCsv.write(G.rubricCsv.rowsOf(run)), "again.csv");
  result.rubricRoundTrip = reread.issues.length === 0 &&
    JSON.stringify(reread.rows.map(({ line, ...r }) => r)) === JSON.stringify(G.rubricCsv.rowsOf(run));
  const lms = (f) => { try { return f(); } catch (e) { return { error: e instanceof G.lms.LmsError ? e.message : String(e) }; } };
  if (cls.canvasExport) {
    const exportText = new TextDecoder().decode(bytesOf(join(cwd, cls.canvasExport)));
    for (const mode of ["sets", "total"]) {
      result[`canvas_${mode}`] = lms(() => {
        const r = G.lms.canvas(gradebook, exportText, book, { mode, gradebookName: "gradebook.csv", exportName: cls.canvasExport });
        return { ...r, csv: b64(r.csv) };
      });
    }
  }
  result.plain = lms(() => ({ ...G.lms.plain(gradebook, null), csv: b64(G.lms.plain(gradebook, null).csv) }));
  result.plain_set = lms(() => ({ ...G.lms.plain(gradebook, book.sets[0].id), csv: b64(G.lms.plain(gradebook, book.sets[0].id).csv) }));
  result.plain_bad = lms(() => G.lms.plain(gradebook, "no-such-set"));
  out.classes[cls.name] = result;
}
for (const check of job.checks || []) {
  const raw = new Uint8Array(Buffer.from(check.b64, "base64"));
  const found = G.readSubmission(raw, check.name, !check.member);
  out.checks.push(found.rejection
    ? { name: check.name, verdict: "rejected", reason: found.rejection.reason, fix: found.rejection.fix }
    : { name: check.name, verdict: "ok", warnings: found.submission.warnings, student: [found.submission.studentId,
      found.submission.studentName], answers: found.submission.answerOrder.map((id) => [id, found.submission.answerText(id)]) });
}
process.stdout.write(JSON.stringify(out));
