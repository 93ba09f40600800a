"""Grid items: a matrix on a wide screen, stacked on a phone, and the same for screen readers and axe in both.

On the demo set's page (``exercises/demo.html``, which has a five-column and a three-column grid), at 1280 px wide
each row's controls sit on one line, left to right in column order, under column labels; at 390 px they stack, one
under the other. In both layouts Chromium's own accessibility tree (not Playwright's guess) still has a table, each
row a group named by its claim, and each control named by its column label; axe-core finds no violation at either
width, as loaded and after every grid was answered, checked and (where the edition has it) shown.
"""

from __future__ import annotations

import pytest
from conftest import EDITIONS, describe_violations, format_violations, run_axe
from swpage import SUBMIT, answer, item_selector, key_response, multi_rows

pytestmark = pytest.mark.browser

PAGE = "exercises/demo.html"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

POSITIONS = """(sec) => Array.from(document.querySelectorAll(sec + ' tr[data-sw-row]'), (tr) =>
  Array.from(tr.querySelectorAll('input'), (i) => { const r = i.getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top), r.width > 0 && r.height > 0]; }))"""

# How far the grid's table reaches past its item's form (which holds it): positive means it sticks out.
OVERFLOW = """(sec) => { const item = document.querySelector(sec);
  return item.querySelector('table.sw-grid').getBoundingClientRect().right
    - item.querySelector('form').getBoundingClientRect().right; }"""

# The furthest any control's middle is from the middle of its column's label (the matrix's header), in px.
ALIGNMENT = """(sec) => { const table = document.querySelector(sec + ' table.sw-grid');
  const mid = (e) => { const r = e.getBoundingClientRect(); return r.left + r.width / 2; };
  const heads = Array.from(table.querySelectorAll('.sw-grid-heads > span'), mid);
  let worst = 0;
  for (const tr of table.querySelectorAll('tr[data-sw-row]')) {
    Array.from(tr.querySelectorAll('input'), mid)
      .forEach((x, i) => { worst = Math.max(worst, Math.abs(x - heads[i])); });
  }
  return worst; }"""


def grid_items(edition):
    return [item for item in edition.items.values() if item.type == "grid" and item.id.startswith("demo.")]


@pytest.mark.parametrize("name", ["practice", "instructor"])
def test_wide_grid_rows_are_one_line_and_phone_rows_stack(name, editions, open_page):
    edition = editions[name]
    grids = grid_items(edition)
    assert len(grids) >= 2, "the demo set should have grid items"
    for viewport in (WIDE, PHONE):
        opened = open_page(edition, PAGE, viewport=viewport)
        page = opened.page
        for item in grids:
            sec = item_selector(item.id)
            overflow = page.evaluate(OVERFLOW, sec)
            assert overflow <= 0.5, f"{item.id}: the grid sticks out of its item by {overflow} px"
            rows = page.evaluate(POSITIONS, sec)
            assert len(rows) == len(item.rows)
            for row in rows:
                xs, ys, shown = zip(*row, strict=True)
                assert all(shown), f"{item.id}: a control is not drawn at {viewport['width']} px"
                if viewport is WIDE:
                    assert len(set(ys)) == 1, f"{item.id}: a row's controls are not on one line at 1280 px: {row}"
                    assert list(xs) == sorted(set(xs)), f"{item.id}: controls not left to right: {row}"
                else:
                    assert list(ys) == sorted(set(ys)), f"{item.id}: a row's controls do not stack at 390 px: {row}"
            # The column labels show above the matrix only when it is one.
            heads = page.locator(f"{sec} .sw-grid-heads")
            assert heads.is_visible() == (viewport is WIDE)
            if viewport is WIDE:
                texts = heads.locator("span").all_inner_texts()
                assert [t.replace("\n", " ") for t in texts] == [c.label for c in item.columns]
                off = page.evaluate(ALIGNMENT, sec)
                assert off <= 1, f"{item.id}: a control is {off} px off the middle of its column's label"
        opened.context.close()


def ax_nodes(page) -> list[dict]:
    session = page.context.new_cdp_session(page)
    try:
        return session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()


def ax_value(node: dict, key: str) -> str:
    return str((node.get(key) or {}).get("value", ""))


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_screen_readers_hear_the_claim_and_the_column_in_both_layouts(viewport, editions, open_page):
    edition = editions["practice"]
    opened = open_page(edition, PAGE, viewport=viewport)
    nodes = ax_nodes(opened.page)
    by_id = {n["nodeId"]: n for n in nodes}
    roles = [ax_value(n, "role") for n in nodes]
    assert roles.count("table") >= len(grid_items(edition)), "a grid lost its table semantics"
    for item in grid_items(edition):
        for number, row in enumerate(item.rows, start=1):
            group = [n for n in nodes if ax_value(n, "role") == "group"
                     and ax_value(n, "name").startswith(f"Claim {number}: {row.text.rstrip('.')}")]
            assert len(group) == 1, f"{item.id} row {row.id}: no group named by its claim"
            # The group's controls, each named by its column label.
            names, todo = [], list(group[0].get("childIds", []))
            while todo:
                node = by_id.get(todo.pop(0))
                if node is None:
                    continue
                if ax_value(node, "role") in ("radio", "checkbox"):
                    names.append(ax_value(node, "name"))
                todo += node.get("childIds", [])
            assert names == [c.label for c in item.columns], f"{item.id} row {row.id}: {names}"
    opened.context.close()


@pytest.mark.parametrize("name", EDITIONS)
def test_demo_grids_have_no_axe_violation_wide_or_narrow(name, editions, open_page, axe_source):
    edition = editions[name]
    problems = []
    for viewport in (WIDE, PHONE):
        opened = open_page(edition, PAGE, viewport=viewport)
        page = opened.page
        where = f"{name}/{PAGE} at {viewport['width']} px"
        problems += describe_violations(where, run_axe(page, axe_source))
        for item in grid_items(edition):
            answer(page, item, key_response(item, multi_rows=multi_rows(page, item.id)))
            page.locator(item_selector(item.id)).locator(SUBMIT).first.click()
            show = page.locator(f'{item_selector(item.id)} button[data-sw-action="show"]')
            if show.count():
                show.click()
        problems += describe_violations(where + " (grids answered, checked, shown)", run_axe(page, axe_source))
        opened.context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + format_violations(problems)
