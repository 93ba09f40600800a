// Runs every shared scoring vector (tests/vectors/*.json) through the browser scorer and prints the results as
// JSON: [{file, name, earned, status, reason, display}]. tests/test_vectors.py compares them with Python's.
//
// sw-scoring.js is evaluated as a classic script in a fresh vm context, the way a browser's <script> tag runs it:
// ES module syntax in it would fail here, and it must define SourceworkScoring on its global object.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const scorerPath = join(here, "..", "..", "src", "sourcework", "static", "sw-scoring.js");
const vectorDir = join(here, "..", "vectors");

const context = vm.createContext({});
vm.runInContext(readFileSync(scorerPath, "utf8"), context, { filename: scorerPath });
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
