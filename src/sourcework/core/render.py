"""Edition-aware HTML for exercise items, set toolbars and the progress page.

Pure functions from the item model to HTML strings; no Sphinx imports, so the directive, tests and any other
exporter share one rendering. Every piece of text is escaped with ``html.escape``.

What each edition emits:

- practice: native form controls, Check / Try again / Show answer, and the full item (keys included) as JSON in a
  ``<script type="application/json" class="sw-data">`` that the browser scorer reads.
- assessment: the same controls with a Save button and only ``item.to_dict(with_keys=False)``; nothing in the HTML
  depends on a key, feedback, explanation, anchor or teaching note (the grid's checkbox-or-radio choice is the one
  deliberate exception, decided per item so single rows do not stand out).
- instructor: practice's controls plus the key shown statically, per-option feedback, explanation, rubric with
  anchors and the teaching note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from fractions import Fraction
from html import escape
from typing import Any

from .model import EDITIONS, Item, ItemSet, Option, display_order
from .numbers import decimal, format_points, tolerance_text

CORRECT_MARK = "✓ Correct answer"
_GRID_QUESTIONS = {
    "attribution": "Which source or sources make each claim?",
    "corroboration": "Does the evidence corroborate each claim, contradict it, or not address it?",
    "classification": "Which category fits each row?",
}
_BUTTONS = {
    "practice": (("submit", "check", "Check"), ("button", "reset", "Try again"), ("button", "show", "Show answer")),
    "assessment": (("submit", "save", "Save answer"),),
    "instructor": (("submit", "check", "Check"), ("button", "show", "Show answer")),
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _slug(value: str) -> str:
    """A string safe inside an HTML id: item ids use dots, which CSS selectors would misread."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


def item_anchor(item_id: str) -> str:
    """The HTML id of an item's section: ``safe.q1`` becomes ``item-safe-q1``."""
    return "item-" + _slug(item_id)


def points_label(value: Fraction | int) -> str:
    """``1 point``, ``2 points``, ``1.5 points``."""
    return f"{format_points(value)} point" + ("" if Fraction(value) == 1 else "s")




def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script>``: ``</`` and ``<!--`` cannot end or confuse the script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _sentence(text: str) -> str:
    """Text ending in sentence punctuation, so a following instruction reads as a new sentence."""
    text = text.strip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _paragraphs(text: str, css: str) -> str:
    """Plain text with blank-line-separated paragraphs as ``<p>`` elements."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "\n".join(f'<p class="{css}">{_e(b)}</p>' for b in blocks)


# --------------------------------------------------------------------------------------------------- controls


def _option_list(item: Item, options: tuple[Option, ...], key: Any, edition: str, name: str, kind: str) -> list[str]:
    """Radios (kind="radio") or checkboxes for a list of options, with the instructor's key and feedback inline."""
    keyed = {key} if isinstance(key, str) else set(key or ())
    out = []
    for option in options:
        control_id = f"{name}-{_slug(option.id)}"
        out.append(f'<div class="sw-option" data-sw-option="{_e(option.id)}">')
        out.append(f'<input type="{kind}" id="{control_id}" name="{name}" value="{_e(option.id)}">')
        out.append(f'<label for="{control_id}">{_e(option.text)}</label>')
        if edition == "instructor":
            out.extend(_instructor_option_note(option.id in keyed, option.feedback))
        out.append("</div>")
    return out


def shown_options(item: Item, part: str = "") -> tuple[Option, ...]:
    """An item's options (or a two-part item's part "a"/"b" options) in the order students see them."""
    options = item.options if not part else (item.part_a if part == "a" else item.part_b).options  # type: ignore[union-attr]
    return display_order(f"{item.id}:{part or 'options'}", options)


def shown_events(item: Item) -> tuple[Option, ...]:
    """An order item's events as first shown: shuffled, never already in the keyed order."""
    return display_order(item.id, item.events, avoid=tuple(item.key or ()))


def _instructor_option_note(is_key: bool, feedback: str) -> list[str]:
    out = [f'<span class="sw-key-mark">{CORRECT_MARK}</span>'] if is_key else []
    if feedback:
        out.append(f'<p class="sw-option-feedback">Feedback: {_e(feedback)}</p>')
    return out


def _controls_choice(item: Item, edition: str, base: str) -> list[str]:
    return [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        '<legend class="sw-legend">Choose one answer.</legend>',
        *_option_list(item, shown_options(item), item.key, edition, f"{base}-opt", "radio"),
        "</fieldset>",
    ]


def _controls_select(item: Item, edition: str, base: str) -> list[str]:
    return [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        '<legend class="sw-legend">Select all that apply.</legend>',
        *_option_list(item, shown_options(item), item.key, edition, f"{base}-opt", "checkbox"),
        "</fieldset>",
    ]


def _controls_grid(item: Item, edition: str, base: str) -> list[str]:
    any_multi = any(len(row.key) > 1 for row in item.rows)
    row_header = "Item" if item.mode == "classification" else "Claim"
    # The column labels again, for the eye only: on a wide screen the grid is a matrix under them (sw-type-grid.css),
    # while each control keeps its own label (hidden there), so a screen reader still hears row and column.
    # Up to five columns fit side by side under their labels; a wider grid stays stacked (sw-type-grid.css).
    heads = "".join(f"<span>{_e(column.label)}</span>" for column in item.columns)
    matrix = " sw-matrix" if len(item.columns) <= 5 else ""
    out = [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        f'<legend class="sw-legend">{_e(_GRID_QUESTIONS.get(item.mode, "Choose for each row."))}</legend>',
        f'<table class="sw-grid{matrix}">',
        f'<thead><tr><th scope="col">{row_header}</th><th scope="col">Your answer'
        f'<span class="sw-grid-heads" aria-hidden="true">{heads}</span></th></tr></thead>',
        "<tbody>",
    ]
    for number, row in enumerate(item.rows, start=1):
        # The assessment edition may not reveal which rows have several keyed columns, so it decides per item.
        multi = any_multi if edition == "assessment" else len(row.key) > 1
        kind, instruction = ("checkbox", "Select all that apply") if multi else ("radio", "Choose one")
        row_id = f"{base}-row-{_slug(row.id)}"
        out += [
            f'<tr class="sw-grid-row" data-sw-row="{_e(row.id)}" data-sw-multi="{str(multi).lower()}">',
            f'<th scope="row" id="{row_id}-text">{_e(row.text)}</th>',
            '<td><fieldset class="sw-row-fieldset">',
            f'<legend class="sw-row-legend"><span class="sw-visually-hidden">{row_header} {number}: '
            f"{_e(_sentence(row.text))} </span>{instruction}</legend>",
            '<div class="sw-grid-choices">',
        ]
        for column in item.columns:
            control_id = f"{row_id}-{_slug(column.id)}"
            out += [
                f'<div class="sw-option" data-sw-option="{_e(column.id)}">',
                f'<input type="{kind}" id="{control_id}" name="{row_id}" value="{_e(column.id)}">',
                f'<label for="{control_id}">{_e(column.label)}</label>',
            ]
            if edition == "instructor":
                out += _instructor_option_note(column.id in row.key, "")
            out.append("</div>")
        out.append("</div>")
        if edition == "instructor" and row.feedback:
            out.append(f'<p class="sw-option-feedback">Feedback: {_e(row.feedback)}</p>')
        out.append("</fieldset></td></tr>")
    out += ["</tbody>", "</table>", "</fieldset>"]
    return out


def _locate_spans(item: Item) -> list[tuple[int, int, Any]]:
    """Where each span sits in the passage: the first occurrence not overlapping an earlier span."""
    placed: list[tuple[int, int, Any]] = []
    for span in item.spans:
        start = item.passage.find(span.text)
        while start >= 0 and any(start < end and start + len(span.text) > begin for begin, end, _ in placed):
            start = item.passage.find(span.text, start + 1)
        if start < 0 or not span.text:
            raise ValueError(f"item {item.id}: span {span.id!r} text {span.text!r} is not in the passage")
        placed.append((start, start + len(span.text), span))
    return sorted(placed, key=lambda p: p[0])


def _controls_mark(item: Item, edition: str, base: str) -> list[str]:
    pieces, cursor = [], 0
    for start, end, span in _locate_spans(item):
        pieces.append(_e(item.passage[cursor:start]))
        pieces.append(
            f'<button type="button" class="sw-span" aria-pressed="false" data-sw-span="{_e(span.id)}">'
            f"{_e(span.text)}</button>"
        )
        cursor = end
    pieces.append(_e(item.passage[cursor:]))
    where = f"Source {item.source} ¶{item.paragraph}" if item.source else ""
    out = [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        f'<legend class="sw-legend">Mark every phrase that does this job: {_e(item.job)}. '
        "Press a phrase to mark it; press it again to unmark it.</legend>",
        f'<blockquote class="sw-passage">{"".join(pieces)}</blockquote>',
    ]
    if where:
        out.append(f'<p class="sw-passage-source">{_e(where)}</p>')
    if edition == "instructor":
        keyed = set(item.key or ())
        out.append('<ul class="sw-key-list">')
        for span in item.spans:
            mark = CORRECT_MARK if span.id in keyed else "Not part of the key"
            note = f" Feedback: {_e(span.feedback)}" if span.feedback else ""
            out.append(f'<li><span class="sw-key-mark">{mark}</span>: “{_e(span.text)}”.{note}</li>')
        out.append("</ul>")
    out.append("</fieldset>")
    return out


def _controls_numeric(item: Item, edition: str, base: str) -> list[str]:
    out = [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        '<legend class="sw-legend">Type a number.</legend>',
        '<div class="sw-numeric">',
        f'<label for="{base}-number">Your answer</label>',
        f'<input type="text" inputmode="decimal" id="{base}-number" name="{base}-number" class="sw-number" '
        'autocomplete="off" spellcheck="false">',
    ]
    if item.unit:
        # A second label: the unit reads as a suffix and is part of the input's accessible name.
        out.append(f'<label for="{base}-number" class="sw-unit">{_e(item.unit)}</label>')
    out.append("</div>")
    if edition == "instructor" and item.answer is not None:
        accepted = tolerance_text(item)
        out.append(
            f'<p class="sw-key-answer"><span class="sw-key-mark">{CORRECT_MARK}</span>: '
            f"{_e(decimal(item.answer))} {_e(item.unit)} (accepted {accepted}).</p>"
        )
        out += _outcome_feedback_list(item)
    out.append("</fieldset>")
    return out


def _outcome_feedback_list(item: Item) -> list[str]:
    if not item.outcome_feedback:
        return []
    out = ['<ul class="sw-outcome-feedback">']
    for outcome, text in item.outcome_feedback.items():
        out.append(f"<li>Feedback if {_e(outcome)}: {_e(text)}</li>")
    return out + ["</ul>"]


def _controls_order(item: Item, edition: str, base: str) -> list[str]:
    out = [
        f'<fieldset class="sw-fieldset" aria-describedby="{base}-stem">',
        '<legend class="sw-legend">Put the entries in the order the question asks for, with the Move up and '
        "Move down buttons.</legend>",
        '<ol class="sw-order">',
    ]
    for event in shown_events(item):
        out += [
            f'<li class="sw-order-item" data-sw-event="{_e(event.id)}">',
            f'<span class="sw-event-text">{_e(event.text)}</span>',
            '<span class="sw-order-buttons">',
        ]
        for direction, label in (("up", "Move up"), ("down", "Move down")):
            out.append(
                f'<button type="button" class="sw-btn sw-move" data-sw-move="{direction}">{label}'
                f'<span class="sw-visually-hidden">: {_e(event.text)}</span></button>'
            )
        out += ["</span>", "</li>"]
    out += ["</ol>", '<p class="sw-order-status sw-visually-hidden" role="status" aria-live="polite"></p>']
    if edition == "instructor":
        texts = {event.id: event.text for event in item.events}
        out.append(f'<p class="sw-key-answer"><span class="sw-key-mark">{CORRECT_MARK}</span>:</p>')
        out.append('<ol class="sw-key-order">' + "".join(f"<li>{_e(texts.get(i, i))}</li>" for i in item.key or ())
                   + "</ol>")
        out += _outcome_feedback_list(item)
    out.append("</fieldset>")
    return out


def _controls_two_part(item: Item, edition: str, base: str) -> list[str]:
    out = []
    for letter, part in (("a", item.part_a), ("b", item.part_b)):
        if part is None:
            continue
        out += [
            f'<fieldset class="sw-fieldset sw-part" data-sw-part="{letter}">',
            f'<legend class="sw-legend"><span class="sw-part-label">Part {letter.upper()}:</span> {_e(part.stem)}'
            "</legend>",
            *_option_list(item, shown_options(item, letter), part.key, edition, f"{base}-part-{letter}", "radio"),
            "</fieldset>",
        ]
    return out


def _controls_response(item: Item, edition: str, base: str) -> list[str]:
    out = [
        '<div class="sw-response">',
        f'<label for="{base}-text" class="sw-legend">Your response</label>',
        f'<textarea id="{base}-text" name="{base}-text" class="sw-textarea" rows="8" '
        f'aria-describedby="{base}-stem"></textarea>',
        "</div>",
    ]
    if edition == "practice":
        for criterion in item.rubric:
            name = f"{base}-self-{_slug(criterion.id)}"
            out += [
                f'<fieldset class="sw-fieldset sw-self" data-sw-criterion="{_e(criterion.id)}">',
                f'<legend class="sw-legend">Rate your own response: {_e(criterion.criterion)}</legend>',
            ]
            for level in sorted(criterion.levels, key=lambda lv: -lv.points):
                control_id = f"{name}-{level.points}"
                out += [
                    f'<div class="sw-option" data-sw-option="{level.points}">',
                    f'<input type="radio" id="{control_id}" name="{name}" value="{level.points}">',
                    f'<label for="{control_id}">{_e(level.label)} ({points_label(level.points)}): '
                    f"{_e(level.descriptor)}</label>",
                    "</div>",
                ]
            out.append("</fieldset>")
    else:
        out += _rubric_table(item, with_anchors=edition == "instructor")
    return out


def _rubric_table(item: Item, *, with_anchors: bool) -> list[str]:
    if not item.rubric:
        return []
    head = "<th scope=\"col\">Anchor answer</th>" if with_anchors else ""
    out = [
        '<table class="sw-rubric">',
        "<caption>Rubric</caption>",
        '<thead><tr><th scope="col">Criterion</th><th scope="col">Level</th><th scope="col">Points</th>'
        f'<th scope="col">Descriptor</th>{head}</tr></thead>',
        "<tbody>",
    ]
    for criterion in item.rubric:
        for level in sorted(criterion.levels, key=lambda lv: -lv.points):
            anchor = f"<td>{_e(level.anchor)}</td>" if with_anchors else ""
            out.append(
                f'<tr><th scope="row">{_e(criterion.criterion)}</th><td>{_e(level.label)}</td>'
                f"<td>{level.points}</td><td>{_e(level.descriptor)}</td>{anchor}</tr>"
            )
    return out + ["</tbody>", "</table>"]


_CONTROLS = {
    "choice": _controls_choice,
    "select": _controls_select,
    "grid": _controls_grid,
    "mark": _controls_mark,
    "numeric": _controls_numeric,
    "order": _controls_order,
    "two-part": _controls_two_part,
    "response": _controls_response,
}


# ------------------------------------------------------------------------------------------------------ items


def _check_edition(edition: str) -> None:
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; expected one of {', '.join(EDITIONS)}")


def _excerpts(item: Item, para_url: Callable[[str, int], str] | None) -> list[str]:
    """Source words shown above the stem, each attributed (and linked, when a URL maker is given)."""
    out = []
    for excerpt in item.excerpts:
        where = f"Source {_e(excerpt.source)} ¶{excerpt.paragraph}"
        if para_url is not None:
            where = f'<a href="{_e(para_url(excerpt.source, excerpt.paragraph))}">{where}</a>'
        out.append(f'<blockquote class="sw-excerpt"><p>“{_e(excerpt.text)}”</p>'
                   f'<p class="sw-excerpt-source">— {where}</p></blockquote>')
    return out


def _source_list(item: Item, para_url: Callable[[str, int], str] | None) -> str:
    """The item's source labels ("A, B"), each a link to its source page when a URL maker is given (web editions).

    The page is the one ``para_url`` names, without a paragraph: it opens in the version the reader chose last (its
    version switch, sw-versions.js), the original one click away. Without ``para_url``, plain text, as before.
    """
    if para_url is None:
        return _e(", ".join(item.sources))
    return ", ".join(f'<a class="sw-source-link" href="{_e(para_url(label, 1).partition("#")[0])}">{_e(label)}</a>'
                     for label in item.sources)


def render_item(item: Item, edition: str, *, number: int | None = None, heading_level: int = 2,
                para_url: Callable[[str, int], str] | None = None) -> str:
    """The whole HTML of one item in one edition (see the module docstring for what each edition shows)."""
    _check_edition(edition)
    if item.type not in _CONTROLS:
        raise ValueError(f"item {item.id}: unknown type {item.type!r}")
    base = item_anchor(item.id)
    label = f"Question {number}" if number is not None else f"Question {item.id}"
    title = f'<span class="sw-item-number">{_e(label)}</span>' + (f" {_e(item.title)}" if item.title else "")
    sources = _source_list(item, para_url)
    meta = [
        f'<span class="sw-points">{points_label(item.points)}</span>',
        f'<span class="sw-skill">Skill: {_e(item.skill.replace("-", " "))}</span>',
    ]
    if sources:
        meta.append(f'<span class="sw-sources">Source{"s" if len(item.sources) > 1 else ""}: {sources}</span>')
    out = [
        f'<section class="sw-item" id="{base}" data-sw-id="{_e(item.id)}" data-sw-type="{_e(item.type)}" '
        f'data-sw-points="{item.points}" data-sw-hash="{item.content_hash()}" aria-labelledby="{base}-title">',
        f'<h{heading_level} class="sw-item-title" id="{base}-title">{title}</h{heading_level}>',
        '<p class="sw-item-meta">' + ' <span aria-hidden="true">·</span> '.join(meta) + "</p>",
        f'<div class="sw-stem" id="{base}-stem">',
        *_excerpts(item, para_url),
        _paragraphs(item.stem, "sw-stem-text"),
        "</div>",
        f'<form class="sw-form" action="#" novalidate data-sw-form="{_e(item.id)}">',
        *_CONTROLS[item.type](item, edition, base),
        '<div class="sw-actions">',
        *(
            f'<button type="{kind}" class="sw-btn" data-sw-action="{action}">{text}</button>'
            for kind, action, text in _BUTTONS[edition]
        ),
        "</div>",
        "</form>",
        f'<div class="sw-feedback" id="{base}-feedback" role="status" aria-live="polite"></div>',
    ]
    if edition == "instructor":
        out += _instructor_notes(item)
    data = item.to_dict(with_keys=edition != "assessment")
    if edition == "practice":
        # Teaching notes and rubric anchor answers are instructor material: an anchor at the top level is a model
        # answer to the very question, so the default (practice) edition shows the level descriptors instead.
        data.pop("teaching_note", None)
        for criterion in data.get("rubric", []):
            for level in criterion.get("levels", []):
                level.pop("anchor", None)
    out += [f'<script type="application/json" class="sw-data">{json_for_script(data)}</script>', "</section>"]
    return "\n".join(out) + "\n"


def _instructor_notes(item: Item) -> list[str]:
    out = ['<div class="sw-instructor">']
    if item.explanation:
        out += ['<p class="sw-note-title">Explanation</p>', _paragraphs(item.explanation, "sw-explanation")]
    if item.teaching_note:
        out += ['<p class="sw-note-title">Teaching note</p>', _paragraphs(item.teaching_note, "sw-teaching-note")]
    return out + ["</div>"]


# ---------------------------------------------------------------------------------------- set toolbar, progress


def _transfer_controls(scope: str) -> list[str]:
    """Download / Load answers: a real button opens the hidden file input, so keyboard users get a button."""
    return [
        '<div class="sw-transfer">',
        '<button type="button" class="sw-btn" data-sw-action="download">Download my answers</button>',
        '<button type="button" class="sw-btn" data-sw-action="load">Load answers</button>',
        f'<input type="file" class="sw-load-input" id="{scope}-load" accept=".json,application/json" hidden '
        'tabindex="-1" aria-label="Answers file to load">',
        "</div>",
        f'<div class="sw-transfer-status" id="{scope}-status" role="status" aria-live="polite"></div>',
    ]


def render_set_toolbar(item_set: ItemSet, edition: str) -> str:
    """The summary and answer-file controls shown at the top of an exercise set."""
    _check_edition(edition)
    scope = "sw-set-" + _slug(item_set.id)
    possible = sum((item.points for item in item_set.items), Fraction(0))
    count = len(item_set.items)
    ids = json.dumps([item.id for item in item_set.items])
    out = [
        f'<div class="sw-set" id="{scope}" data-sw-set="{_e(item_set.id)}" data-sw-possible="{possible}" '
        f'data-sw-items="{_e(ids)}">',
        f'<p class="sw-set-summary">{count} question{"s" if count != 1 else ""}, '
        f"{points_label(possible)} in all.",
    ]
    if edition == "assessment":
        out[-1] += " Your answers are saved in this browser; download them to hand them in.</p>"
    else:
        out[-1] += " Your answers are saved in this browser as you work.</p>"
    if edition == "practice":
        # as sw-main.js writes it for a reader with no saved answers (score.nothing_yet), so the page does not move
        out.append('<p class="sw-set-score" role="status" aria-live="polite">Score so far: nothing checked yet '
                   f'(0 of {count} questions answered).</p>')
    out += [
        '<fieldset class="sw-fieldset sw-student"><legend class="sw-legend">Your name and ID (go into the answers '
        "file)</legend>",
        f'<div class="sw-field"><label for="{scope}-name">Name</label>',
        f'<input type="text" id="{scope}-name" class="sw-student-name" autocomplete="name"></div>',
        f'<div class="sw-field"><label for="{scope}-id">Student ID</label>',
        f'<input type="text" id="{scope}-id" class="sw-student-id" autocomplete="off" spellcheck="false"></div>',
        "</fieldset>",
        *_transfer_controls(scope),
        "</div>",
    ]
    return "\n".join(out) + "\n"


def render_progress_page(sets: list[dict[str, Any]], edition: str = "practice") -> str:
    """The progress page container; ``sw-progress.js`` fills the table from ``data-sw-sets`` and localStorage.

    Each set dict needs ``id``, ``title``, ``url``, ``possible`` (points, as ``"p/q"`` or a number) and ``items``
    (item ids). The table is written here as the script draws it for a reader with no saved answers (the texts of
    ``progress.*`` in the English catalog), so the page does not move when the script redraws it; it is shown only
    with scripts on (``pst-js-only``), and the sentence for a reader without them only then (``<noscript>``).
    """
    _check_edition(edition)
    fields = ("id", "title", "url", "possible", "items")
    payload = [{name: (str(s[name]) if name == "possible" else s[name]) for name in fields} for s in sets]
    data = json.dumps(payload, ensure_ascii=False)
    scored = edition != "assessment"  # as sw-progress.js: no points where the edition has no keys
    heads = ["Exercise set", "Answered", *(["Points from checked answers"] if scored else [])]
    rows = [f'<tr><th scope="row"><a href="{_e(s["url"])}">{_e(s["title"])}</a></th>'
            f'<td>0 of {len(s["items"])}</td>{"<td>nothing checked yet</td>" if scored else ""}</tr>' for s in sets]
    out = [
        f'<div class="sw-progress" data-sw-sets="{_e(data)}">',
        '<noscript><p class="sw-progress-fallback">Your progress is kept in this browser and shown here by JavaScript. '
        "Turn JavaScript on to see it; your saved answers are not affected.</p></noscript>",
        '<div class="sw-progress-table pst-js-only pst-scrollable-table-container"><table class="sw-progress-grid">'
        "<caption>Your progress in this browser</caption><thead><tr>"
        + "".join(f'<th scope="col">{h}</th>' for h in heads) + "</tr></thead>",
        f"<tbody>{''.join(rows)}</tbody></table></div>",
        *_transfer_controls("sw-progress"),
        '<div class="sw-actions">',
        '<button type="button" class="sw-btn" data-sw-action="clear">Clear my progress</button>',
        "</div>",
        "</div>",
    ]
    return "\n".join(out) + "\n"
