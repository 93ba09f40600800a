"""B7 grid height: how tall the demo set's grid items are on a laptop (1280 px wide) and a phone (390 px wide).

The real book's demo set (``exercises/demo.md``, page ``exercises/demo.html``) is built by ``jb build`` as ``make
editions`` does, in the practice edition (as a student first sees it) and the instructor edition (every row's key mark
and feedback shown), then opened from file:// in headless Chromium at 1280 × 800 and 390 × 844 CSS px. For each grid
item: the height of its ``section.sw-item`` and of its ``table.sw-grid`` in CSS px, and the item's height in screens
(item height ÷ viewport height). Also whether each row's controls sit on one line (the matrix layout) or stack.

``--html DIR`` measures an existing practice build instead of building (e.g. ``_build/html``). A measurement, not a
test: it reports figures and never asserts them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, chromium, jb_build, table  # noqa: E402

VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}
PAGE = Path("exercises") / "demo.html"

MEASURE = """() => Array.from(document.querySelectorAll('section.sw-item[data-sw-type="grid"]'), (item) => {
  const grid = item.querySelector('table.sw-grid');
  const rows = Array.from(item.querySelectorAll('tr[data-sw-row]'), (tr) => {
    const tops = Array.from(tr.querySelectorAll('input'), (i) => Math.round(i.getBoundingClientRect().top));
    return new Set(tops).size === 1;
  });
  return {id: item.dataset.swId, rows: rows.length, item: item.getBoundingClientRect().height,
          grid: grid ? grid.getBoundingClientRect().height : 0, oneLine: rows.filter(Boolean).length};
})"""


# The same measurement before grids had a wide layout (commit e17c954, 2026-12-06): every row stacked its choices
# at any width, and at 390 px the five-column grid stuck out of its item (labels of at least 12rem).
BEFORE = """| demo.who-says (5 rows) | practice | 2,366 (2.96) | 2,040 | 0 of 5 | 2,927 (3.47) | 2,436 | 0 of 5 |
| demo.ero-name (4 rows) | practice | 1,397 (1.75) | 633 | 0 of 4 | 2,106 (2.50) | 1,017 | 0 of 4 |
| demo.who-says (5 rows) | instructor | 2,163 (2.70) | 1,702 | 0 of 5 | 4,052 (4.80) | 3,452 | 0 of 5 |
| demo.ero-name (4 rows) | instructor | 1,927 (2.41) | 1,002 | 0 of 4 | 3,513 (4.16) | 2,236 | 0 of 4 |"""


def build(edition: str) -> Path:
    out = WORK / "grid-book" / edition
    jb_build(REPO, out, edition)
    return out / "_build" / "html"


def measure(html: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    with chromium() as browser:
        for name, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto((html / PAGE).resolve().as_uri())
            page.wait_for_function("() => document.readyState === 'complete'")
            found[name] = page.evaluate(MEASURE)
            context.close()
    return found


def run(htmls: dict[str, Path] | None = None) -> tuple[str, dict]:
    htmls = htmls or {edition: build(edition) for edition in ("practice", "instructor")}
    rows, data = [], {}
    for edition, html in htmls.items():
        data[edition] = found = measure(html)
        for index, laptop in enumerate(found["laptop"]):
            phone = found["phone"][index]
            cells = [f"{laptop['id']} ({laptop['rows']} rows)", edition]
            for name, got in (("laptop", laptop), ("phone", phone)):
                screen = VIEWPORTS[name][1]
                cells += [f"{got['item']:,.0f} ({got['item'] / screen:.2f})", f"{got['grid']:,.0f}",
                          f"{got['oneLine']} of {got['rows']}"]
            rows.append(cells)
    header = ["grid item", "edition", "1280 px: item px (screens)", "1280 px: table px", "1280 px: rows on one line",
              "390 px: item px (screens)", "390 px: table px", "390 px: rows on one line"]
    text = table(header, rows)
    text += ("\n\nBefore grids had a wide layout (commit e17c954), measured the same way:\n\n"
             + "\n".join(table(header, []).splitlines()[:2]) + "\n" + BEFORE)
    text += ("\n\nScreens: item height ÷ viewport height (1280 × 800 laptop, 390 × 844 phone). A row is on one line "
             "when all its radio buttons or checkboxes share a top edge. Headless Chromium, from file://.")
    return text, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--html", help="an existing practice build to measure instead of building")
    args = parser.parse_args(argv)
    text, _ = run({"practice": Path(args.html).resolve()} if args.html else None)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
