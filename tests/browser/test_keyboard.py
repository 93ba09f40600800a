"""Keyboard: every item type is completed with the keyboard alone, focus is always visible, feedback is announced.

The page is opened at the item's anchor (as a link from a chapter would), and from there only Tab, Shift+Tab,
Space, Enter, the arrow keys and typed characters are used: radio groups with the arrows, checkboxes and mark
phrases with Space or Enter, the order with its Move up buttons, the number and the response typed. After every
key press the focused element must show a focus indicator (``:focus-visible`` and a non-empty outline or box
shadow on it or its label) and have a size. Check (or Save answer) is pressed with Enter, and the item's
``role="status"`` region must change; in the practice and instructor editions the keyed answer must read Correct.
"""

from __future__ import annotations

import pytest
from conftest import EDITIONS, Edition
from swpage import item_selector, key_response, multi_rows

pytestmark = pytest.mark.browser

TYPES = ("choice", "select", "grid", "mark", "numeric", "order", "two-part", "response")

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const drawn = (e) => {
    if (!e) return false;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return {
    where: el.outerHTML.slice(0, 140),
    visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none',
    focusVisible: el.matches(':focus-visible'),
    indicator: drawn(el) || drawn(label),
  };
}"""


class Keys:
    """Keyboard-only driver that checks the focus indicator after every key press."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.presses = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1
        state = self.page.evaluate(FOCUS_JS)
        if state is None:
            return  # focus on the page itself (e.g. past the last control): nothing to draw
        if not (state["visible"] and state["focusVisible"] and state["indicator"]):
            self.problems.append(f"after {key}: focus not visible on {state['where']} ({state})")

    def at(self, selector: str) -> bool:
        return self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 250) -> None:
        """Tab (or Shift+Tab, when the target lies before the focus) until an element matching ``selector``."""
        for _ in range(limit):
            if self.at(selector):
                return
            forward = self.page.evaluate("""s => {
                const t = document.querySelector(s), a = document.activeElement;
                if (!t) throw new Error('no element ' + s);
                if (!a || a === document.body) return true;
                return !!(a.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
            }""", selector)
            self.press("Tab" if forward else "Shift+Tab")
        raise AssertionError(f"could not reach {selector} with Tab/Shift+Tab in {limit} presses")

    def pick_radio(self, group: str, value: str) -> None:
        """Focus the radio group (any of ``group``), then arrow to ``value``; Space when it is the first."""
        self.tab_to(group)
        values = self.page.eval_on_selector_all(group, "rs => rs.map(r => r.value)")
        target = values.index(value)
        for _ in range(len(values) + 1):
            here = values.index(self.page.evaluate("() => document.activeElement.value"))
            if here == target:
                break
            self.press("ArrowDown" if here < target else "ArrowUp")
        if not self.page.evaluate("() => document.activeElement.checked"):
            self.press("Space")
        assert self.page.evaluate("() => document.activeElement.checked"), f"{group}={value} not checked"

    def toggle(self, selector: str, want: bool, key: str = "Space") -> None:
        self.tab_to(selector)
        state = "el => el.matches('input') ? el.checked : el.getAttribute('aria-pressed') === 'true'"
        if self.page.eval_on_selector(selector, state) != want:
            self.press(key)
        assert self.page.eval_on_selector(selector, state) == want, f"{selector} did not toggle"

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.press("End")


def first_item_of(edition: Edition, kind: str):
    for item_set in edition.sets:
        for item in item_set.items:
            if item.type == kind:
                page = edition.html / (item_set.path.removesuffix(".md") + ".html")
                if page.exists():
                    return item, page
    pytest.fail(f"no item of type {kind!r} on any page of the {edition.name} edition", pytrace=False)


def complete(keys: Keys, item, response) -> None:
    """Enter ``response`` into ``item`` with the keyboard alone."""
    sec = item_selector(item.id)
    page = keys.page
    if item.type == "choice":
        keys.pick_radio(f"{sec} input[type=radio]", response)
    elif item.type == "select":
        for value in page.eval_on_selector_all(f"{sec} input[type=checkbox]", "bs => bs.map(b => b.value)"):
            keys.toggle(f'{sec} input[type=checkbox][value="{value}"]', value in response)
    elif item.type == "grid":
        for row_id, value in response.items():
            row = f'{sec} tr[data-sw-row="{row_id}"]'
            if isinstance(value, str):
                keys.pick_radio(f"{row} input[type=radio]", value)
            else:
                for col in page.eval_on_selector_all(f"{row} input", "bs => bs.map(b => b.value)"):
                    keys.toggle(f'{row} input[value="{col}"]', col in value)
    elif item.type == "mark":
        for n, span in enumerate(page.eval_on_selector_all(f"{sec} .sw-span", "bs => bs.map(b => b.dataset.swSpan)")):
            keys.toggle(f'{sec} .sw-span[data-sw-span="{span}"]', span in response, "Enter" if n % 2 else "Space")
    elif item.type == "numeric":
        keys.tab_to(f"{sec} input.sw-number")
        keys.type(response)
    elif item.type == "order":
        status = page.locator(f"{sec} .sw-order-status")
        for position, event_id in enumerate(response):
            current = page.eval_on_selector_all(f"{sec} li[data-sw-event]", "lis => lis.map(li => li.dataset.swEvent)")
            moves = current.index(event_id) - position
            if moves <= 0:
                continue
            keys.tab_to(f'{sec} li[data-sw-event="{event_id}"] button[data-sw-move="up"]')
            for n in range(moves):
                keys.press("Enter" if n % 2 == 0 else "Space")
            assert status.text_content().strip(), "moving an event announced nothing in the order's status region"
        final = page.eval_on_selector_all(f"{sec} li[data-sw-event]", "lis => lis.map(li => li.dataset.swEvent)")
        assert final == list(response)
    elif item.type == "two-part":
        for part in ("a", "b"):
            keys.pick_radio(f'{sec} [data-sw-part="{part}"] input[type=radio]', response[part])
    elif item.type == "response":
        keys.tab_to(f"{sec} textarea")
        keys.type(response["text"])
        for criterion, points in response.get("self", {}).items():
            group = f'{sec} [data-sw-criterion="{criterion}"] input[type=radio]'
            if page.locator(group).count():
                keys.pick_radio(group, str(points))
    else:
        raise ValueError(item.type)


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("name", EDITIONS)
def test_item_completed_with_keyboard_alone(name, kind, editions, open_page):
    edition = editions[name]
    item, path = first_item_of(edition, kind)
    opened = open_page(edition, edition.rel(path) + "#" + page_anchor(item.id))
    page = opened.page
    keys = Keys(page)
    response = key_response(item, multi_rows=multi_rows(page, item.id))
    complete(keys, item, response)

    sec = item_selector(item.id)
    status = page.locator(f"{sec} .sw-feedback")
    assert status.get_attribute("role") == "status"
    before = status.text_content()
    submit = f'{sec} button[data-sw-action="{"save" if name == "assessment" else "check"}"]'
    keys.tab_to(submit)
    keys.press("Enter")
    page.wait_for_function("([s, b]) => document.querySelector(s).textContent !== b",
                           arg=[f"{sec} .sw-feedback", before], timeout=5000)
    said = status.inner_text()
    if name == "assessment":
        assert said.startswith(("✓", "Saved")) or "Saved" in said.splitlines()[0], said
    elif kind == "response":
        assert "Saved for your teacher" in said, said
    else:
        assert "Correct" in said.splitlines()[0] and "Incorrect" not in said.splitlines()[0], said
    if name != "assessment":
        # Show answer, then Try again, still by keyboard: focus returns into the item, visibly.
        keys.tab_to(f'{sec} button[data-sw-action="show"]')
        keys.press("Space")
        assert status.inner_text() != said
        if page.locator(f'{sec} button[data-sw-action="reset"]').count():
            keys.tab_to(f'{sec} button[data-sw-action="reset"]')
            keys.press("Enter")
            assert page.evaluate("s => document.querySelector(s).contains(document.activeElement)", sec)
            keys.press("Tab")
    assert not keys.problems, "focus was not visible:\n" + "\n".join(keys.problems)


def page_anchor(item_id: str) -> str:
    from sourcework.core.render import item_anchor

    return item_anchor(item_id)
