"""Helpers shared by the browser tests: responses for items, answering them through the page, reading feedback, and a
speech synthesis stand-in for the Listen controls.

Responses have the shapes of ARCHITECTURE.md ("Formats"). They are made from the Python item (which knows the
keys) so the same answers can be given in every edition, including the assessment edition whose page knows none.
Answering uses the page's own controls (clicks and typing); the keyboard-only path is in test_keyboard.py.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction
from typing import Any

from sourcework.core.model import Item

SUBMIT = 'button[data-sw-action="check"], button[data-sw-action="save"]'


def item_selector(item_id: str) -> str:
    return f'section.sw-item[data-sw-id="{item_id}"]'


def _decimal(value: Fraction) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def key_response(item: Item, *, multi_rows: set[str] | None = None) -> Any:
    """The keyed (fully correct) response; ``multi_rows`` are grid rows shown as checkboxes on the page."""
    multi_rows = multi_rows or set()
    if item.type == "choice":
        return item.key
    if item.type in ("select", "mark", "order"):
        return list(item.key)
    if item.type == "grid":
        return {row.id: list(row.key) if (len(row.key) > 1 or row.id in multi_rows) else row.key[0]
                for row in item.rows}
    if item.type == "numeric":
        return _decimal(item.answer or Fraction(0))
    if item.type == "two-part":
        return {"a": item.part_a.key, "b": item.part_b.key}
    if item.type == "response":
        return {"text": "Source A calls it a partnership; Source C quotes people it harmed.",
                "self": {c.id: c.max_points for c in item.rubric}}
    raise ValueError(item.type)


def random_response(item: Item, rng: random.Random, *, multi_rows: set[str] | None = None) -> Any:
    """A response a student might give: the key about a third of the time, otherwise a random one."""
    multi_rows = multi_rows or set()
    if rng.random() < 1 / 3:
        return key_response(item, multi_rows=multi_rows)

    def subset(ids: list[str]) -> list[str]:
        chosen = [i for i in ids if rng.random() < 0.5]
        return chosen or [rng.choice(ids)]

    if item.type == "choice":
        return rng.choice([o.id for o in item.options])
    if item.type == "select":
        return subset([o.id for o in item.options])
    if item.type == "mark":
        return subset([s.id for s in item.spans])
    if item.type == "order":
        ids = [e.id for e in item.events]
        rng.shuffle(ids)
        return ids
    if item.type == "grid":
        cols = [c.id for c in item.columns]
        return {row.id: subset(cols) if (len(row.key) > 1 or row.id in multi_rows) else rng.choice(cols)
                for row in item.rows}
    if item.type == "numeric":
        answer = item.answer or Fraction(0)
        near = answer + (item.tolerance_abs or (item.tolerance_rel or 0) * abs(answer)) / 2
        return rng.choice([_decimal(answer + 7), _decimal(near), f"{_decimal(answer)} {item.unit}".strip(),
                           _decimal(answer * 2 + 1), "about five"])
    if item.type == "two-part":
        return {"a": rng.choice([o.id for o in item.part_a.options]),
                "b": rng.choice([o.id for o in item.part_b.options])}
    if item.type == "response":
        return {"text": rng.choice(["They differ.", "Source A praises SAFE; Source C lists errors it caused."]),
                "self": {c.id: rng.choice([lv.points for lv in c.levels]) for c in item.rubric}}
    raise ValueError(item.type)


def multi_rows(page, item_id: str) -> set[str]:
    """Grid rows that the page shows as checkboxes (the assessment edition decides per item)."""
    return set(page.eval_on_selector_all(
        f'{item_selector(item_id)} tr[data-sw-row]',
        "rows => rows.filter(r => r.querySelector('input[type=checkbox]')).map(r => r.dataset.swRow)"))


def answer(page, item: Item, response: Any) -> None:
    """Put ``response`` into the item's controls with the mouse and keyboard typing, as a student would."""
    sec = page.locator(item_selector(item.id))
    sec.scroll_into_view_if_needed()
    if item.type == "choice":
        sec.locator(f'input[type=radio][value="{response}"]').check()
    elif item.type == "select":
        for box in sec.locator("input[type=checkbox]").all():
            box.set_checked(box.get_attribute("value") in response)
    elif item.type == "grid":
        for row_id, value in response.items():
            row = sec.locator(f'tr[data-sw-row="{row_id}"]')
            wanted = [value] if isinstance(value, str) else value
            for box in row.locator("input").all():
                if box.get_attribute("value") in wanted:
                    box.check()
                elif box.get_attribute("type") == "checkbox":
                    box.uncheck()
    elif item.type == "mark":
        for button in sec.locator("button.sw-span").all():
            pressed = button.get_attribute("aria-pressed") == "true"
            if pressed != (button.get_attribute("data-sw-span") in response):
                button.click()
    elif item.type == "numeric":
        box = sec.locator("input.sw-number")
        box.fill("")
        box.press_sequentially(response)
    elif item.type == "order":
        for position, event_id in enumerate(response):
            current = sec.locator("li[data-sw-event]").evaluate_all("lis => lis.map(li => li.dataset.swEvent)")
            for _ in range(current.index(event_id) - position):
                sec.locator(f'li[data-sw-event="{event_id}"] button[data-sw-move="up"]').click()
    elif item.type == "two-part":
        for part in ("a", "b"):
            if response.get(part):
                sec.locator(f'[data-sw-part="{part}"] input[value="{response[part]}"]').check()
    elif item.type == "response":
        sec.locator("textarea").fill(response.get("text", ""))
        for criterion, points in (response.get("self") or {}).items():
            group = sec.locator(f'[data-sw-criterion="{criterion}"]')
            if group.count():
                group.locator(f'input[value="{points}"]').check()
    else:
        raise ValueError(item.type)


def submit(page, item_id: str) -> str:
    """Press Check (practice, instructor) or Save answer (assessment); return the status region's new text."""
    sec = page.locator(item_selector(item_id))
    status = sec.locator(".sw-feedback")
    before = status.inner_text()
    sec.locator(SUBMIT).first.click()
    page.wait_for_function("([sel, before]) => (document.querySelector(sel).textContent || '') !== before",
                           arg=[f"{item_selector(item_id)} .sw-feedback", before], timeout=5000)
    return status.inner_text()


POINTS = re.compile(r"(\d+(?:\.\d+)?) of (\d+(?:\.\d+)?) points?")


def shown_points(feedback: str) -> tuple[str, str] | None:
    """The "x of y points" the feedback shows, as displayed, or None when it shows no score."""
    head = feedback.strip().splitlines()[0] if feedback.strip() else ""
    found = POINTS.search(head)
    return (found.group(1), found.group(2)) if found else None


def saved_records(page) -> dict[str, Any]:
    """Every sourcework entry of localStorage, parsed where it parses (by item id, the key's last part)."""
    return page.evaluate("""() => {
        const out = {};
        for (let i = 0; i < localStorage.length; i++) {
            const k = localStorage.key(i);
            if (!k.startsWith('sourcework:')) continue;
            const id = k.slice(k.lastIndexOf(':') + 1);
            try { out[id] = JSON.parse(localStorage.getItem(k)); } catch (e) { out[id] = null; }
        }
        return out;
    }""")


def widget_response(page, item_id: str) -> Any:
    """The response the page's widget reads from its controls (null when unanswered)."""
    return page.evaluate("id => { const w = window.Sourcework.widgets.get(id); return w ? w.read() : undefined; }",
                         item_id)


def page_items(page) -> list[tuple[str, str]]:
    """(id, type) of every item on the page, in page order."""
    return [tuple(x) for x in page.eval_on_selector_all(
        "section.sw-item", "s => s.map(e => [e.dataset.swId, e.dataset.swType])")]


# A speech synthesis stand-in (headless Chromium has no voices): records what is spoken, paused, resumed, cancelled,
# in window.__speech. Its voices are there from the start, or, "late", only once the test calls __voicesArrive()
# (which fires "voiceschanged", as Chrome's voices arrive after the page has started).
SPEECH_STUB = """
(() => {
  const calls = [];
  const heard = [];
  let voices = LATE ? [] : VOICES;
  class Utterance { constructor(text) { this.text = text; this.lang = ""; this.rate = 1; this.voice = null; } }
  const synth = {
    getVoices: () => voices,
    speak: (u) => calls.push({what: "speak", text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.name}),
    pause: () => calls.push({what: "pause"}),
    resume: () => calls.push({what: "resume"}),
    cancel: () => calls.push({what: "cancel"}),
    addEventListener: (type, listener) => heard.push(listener),
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: Utterance, configurable: true});
  window.__speech = calls;
  window.__voicesArrive = () => {
    voices = VOICES;
    heard.forEach((listener) => listener());
  };
})();
"""
ENGLISH_VOICE = '[{name: "Stub English", lang: "en-US"}]'
BOTH_VOICES = '[{name: "Stub English", lang: "en-US"}, {name: "Stub Spanish", lang: "es-MX"}]'


def speech_stub(voices: str, late: bool = False) -> str:
    """The init script of the speech stand-in with ``voices`` (a JS array literal)."""
    return SPEECH_STUB.replace("LATE", "true" if late else "false").replace("VOICES", voices)
