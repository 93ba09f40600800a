"""B3 start-up: DOMContentLoaded until every item is interactive and saved progress restored, in headless Chromium.

Synthetic pages with 10, 100 and 1,000 items (the fixture book's eight item types in turn, ids renamed), rendered by
``core.render`` in the practice edition with the package's JS and CSS, opened from file://. Every item has a saved
answer in localStorage, so start-up includes restoring all of them (checked after each load).

Timing, in the page: ``performance.now()`` in a DOMContentLoaded listener registered before any page script (so it
runs first), and the end is the ``sourcework:ready`` event if the widget dispatches one, otherwise a DOMContentLoaded
listener on ``window``, which runs after every listener on ``document`` (the widget boots synchronously there).
Median of 15 loads after 3 warm-up loads, per size.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FIXTURE_BOOK, STATIC, WORK, chromium, median, table  # noqa: E402

from sourcework.core.corpus import load_corpus  # noqa: E402
from sourcework.core.items import load_exercises  # noqa: E402
from sourcework.core.model import ItemSet, content_hash  # noqa: E402
from sourcework.core.render import render_item, render_set_toolbar  # noqa: E402
from sourcework.sphinx_ext.assets import MAIN_JS, page_assets  # noqa: E402

SIZES = (10, 100, 1000)
RUNS, WARMUP = 15, 3
GOAL_MS_AT_100 = 50.0

TIMER = """(() => {
  const t = window.__swBench = {};
  document.addEventListener('DOMContentLoaded', () => { t.dcl = performance.now(); }, {capture: true});
  window.addEventListener('DOMContentLoaded', () => { t.after = performance.now(); t.booted = !!window.Sourcework; });
  document.addEventListener('sourcework:ready', () => { t.ready = performance.now(); });
})();"""


def key_response(item):
    if item.type == "choice":
        return item.key
    if item.type in ("select", "mark", "order"):
        return list(item.key)
    if item.type == "grid":
        return {row.id: list(row.key) if len(row.key) > 1 else row.key[0] for row in item.rows}
    if item.type == "numeric":
        return str(float(item.answer))
    if item.type == "two-part":
        return {"a": item.part_a.key, "b": item.part_b.key}
    return {"text": "A saved response.", "self": {c.id: c.max_points for c in item.rubric}}


def synthetic_set(count: int) -> ItemSet:
    corpus = load_corpus(FIXTURE_BOOK)
    sets, problems = load_exercises(FIXTURE_BOOK, corpus)
    assert not problems, problems
    templates = [item for item in sets[0].items]
    items = tuple(replace(templates[n % len(templates)], id=f"bench.q{n + 1}") for n in range(count))
    return ItemSet(id="bench", title=f"{count} items", chapter="", items=items)


def write_page(folder: Path, item_set: ItemSet) -> tuple[Path, dict]:
    digest = content_hash([item_set])
    body = render_set_toolbar(item_set, "practice") + "".join(
        render_item(item, "practice", number=n) for n, item in enumerate(item_set.items, 1))
    stylesheets, files = page_assets(body)  # the files a build gives this page, readable
    scripts = "\n".join(
        f'<script src="static/{name}"' + (f' data-content-hash="{digest}" data-book-title="Bench" '
                                          'data-edition="practice"' if name == MAIN_JS else "") + "></script>"
        for name in files)
    links = "".join(f'<link rel="stylesheet" href="static/{name}">' for name in stylesheets)
    page = folder / f"items-{len(item_set.items)}.html"
    page.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{len(item_set.items)} items'
                    f"</title>{links}{scripts}</head><body><main>"
                    f"<h1>Items</h1>{body}</main></body></html>", "utf-8")
    now = datetime.now(UTC).isoformat()
    saved = {item.id: {"response": key_response(item), "itemHash": item.content_hash(), "savedAt": now}
             for item in item_set.items}
    return page, saved


def measure(browser, page_path: Path, storage: dict, count: int) -> list[float]:
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    context.add_init_script(TIMER)
    page = context.new_page()
    page.goto(page_path.as_uri())
    # Saved through the page's own storage module, so the keys are whatever it uses.
    page.evaluate("s => { localStorage.clear(); for (const [id, r] of Object.entries(s)) "
                  "window.SourceworkStorage.write(id, r); }", storage)
    times = []
    for run in range(WARMUP + RUNS):
        page.reload()
        page.wait_for_function("() => window.__swBench && (window.__swBench.ready || window.__swBench.after)")
        t = page.evaluate("() => window.__swBench")
        restored = page.evaluate("() => [...window.Sourcework.widgets.values()].filter(w => w.read() !== null).length")
        if restored != count:
            raise RuntimeError(f"{page_path.name}: only {restored} of {count} saved answers were restored")
        if run >= WARMUP:
            times.append((t.get("ready") or t["after"]) - t["dcl"])
    context.close()
    return times


def run() -> tuple[str, dict]:
    folder = WORK / "startup"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(STATIC, folder / "static")
    results = {}
    with chromium() as browser:
        for count in SIZES:
            page, storage = write_page(folder, synthetic_set(count))
            times = measure(browser, page, storage, count)
            results[count] = {"median": median(times), "min": min(times), "max": max(times)}
    rows = [[f"{n:,}", f"{r['median']:.1f}", f"{r['min']:.1f}", f"{r['max']:.1f}", f"{1000 * r['median'] / n:.0f}"]
            for n, r in results.items()]
    growth = results[1000]["median"] / results[100]["median"]
    small = results[100]["median"] / results[10]["median"]
    at100 = results[100]["median"]
    text = table(["items", "median ms", "min ms", "max ms", "µs per item"], rows)
    text += (f"\n\nAt 100 items: **{at100:.1f} ms** (goal ≤ {GOAL_MS_AT_100:.0f} ms: "
             f"**{'met' if at100 <= GOAL_MS_AT_100 else 'NOT met'}**). Growth 100→1,000 items: ×{growth:.1f} "
             f"(linear is ×10), 10→100: ×{small:.1f}. Every saved answer restored on every load. Headless "
             "Chromium, practice edition, no theme.")
    return text, {"results": results, "growth": growth}


if __name__ == "__main__":
    print(run()[0])
