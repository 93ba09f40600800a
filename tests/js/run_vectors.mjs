// Runs every shared scoring vector (tests/vectors/*.json) through the browser scorer and prints the results as
// JSON: [{file, name, earned, status, reason, display}]. tests/test_vectors.py compares them with Python's.
//
//   node run_vectors.mjs DIR FILE...
//
// Loads FILEs from DIR in the order given, the way a page loads them: tests/test_vectors.py passes the scorer files
// a page with every item type loads (sw-core.js, sw-lists.js, then each sw-type-*.js, as
// sourcework.sphinx_ext.assets.scorer_files lists them), once from src/sourcework/static and once minified as a
// build writes them. Each is evaluated as a classic script in one fresh vm context, as a browser's <script> tag
// runs it: ES module syntax would fail here, and the files must register on the global object.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const vectorDir = join(here, "..", "vectors");
const [dir, ...files] = process.argv.slice(2);
if (!files.length) {
  console.error("usage: node run_vectors.mjs DIR FILE... (tests/test_vectors.py passes assets.scorer_files())");
  process.exit(2);
}

const context = vm.createContext({});
for (const name of files) vm.runInContext(readFileSync(join(dir, name), "utf8"), context, { filename: join(dir, name) });
const { score, formatPoints } = context.SourceworkScoring;

const results = [];
for (const file of readdirSync(vectorDir).filter((f) => f.endsWith(".json")).sort()) {
  for (const vector of JSON.parse(readFileSync(join(vectorDir, file), "utf8"))) {
    try {
      const result = score(vector.item, vector.response);
      results.push({
        file,
        name: vector.name,
        earned: String(result.earned),
        possible: String(result.possible),
        status: result.status,
        reason: result.reason,
        display: formatPoints(result.earned),
      });
    } catch (error) {
      // Report, don't stop: the Python side names every case that throws.
      results.push({ file, name: vector.name, earned: null, status: `threw: ${error}`, reason: "" });
    }
  }
}
process.stdout.write(JSON.stringify(results, null, 1));
