"""Key leaks: in the assessment edition no key is reachable from the DOM, the scripts, or any file the page can fetch.

Secrets are taken from the exercise sources (which hold the keys): every per-option, per-row, per-span and
per-outcome feedback, explanation, teaching note and rubric anchor of three words or more, and every sentence of
eight words or more in an ``{instructor-only}`` block or in the grading page's instructions (``{class-grading}``)
(shorter ones may quote the book) — unless the same words are also written in a public place of the sources (a note
that repeats the book reveals nothing).
Then, in the assessment edition:

- no file of the built site (HTML, JS, CSS, search index, object inventory, anything under ``_build/html``) and no
  live DOM, script text or saved answer after the page has run contains a secret of three words or more;
- the item data in the page has none of the secret fields (key, feedback, explanation, answer, tolerance, anchor,
  teaching note, claim), no element carries a key mark, and the browser scorer cannot be used as an oracle: scoring
  the keyed answer with the page's own data is never ``correct`` and never earns points;
- the search index has no word that appears only in the instructor edition's index (absent from practice's);
- in the practice and assessment editions the class-grading page is a placeholder: no book data, no grading script.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from pathlib import Path

import pytest
from conftest import Edition
from swpage import answer, item_selector, key_response, multi_rows, submit

from sourcework.core.model import SECRET_FIELDS

pytestmark = pytest.mark.browser

MIN_WORDS = 3
NOTE_WORDS = 8
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# {instructor-only} blocks and the {class-grading} directive's body (the grading page's instructions): text the
# instructor edition alone may carry.
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?:instructor-only|class-grading)\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$",
                   re.M | re.S)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip().lower()


def secrets(edition: Edition) -> dict[str, str]:
    """Normalised secret text -> where it comes from."""
    found: dict[str, str] = {}

    def add(text: str, where: str) -> None:
        for block in re.split(r"\n\s*\n", text or ""):
            t = norm(block)
            if len(t.split()) >= MIN_WORDS:
                found.setdefault(t, where)

    for item in edition.items.values():
        add(item.explanation, f"{item.id} explanation")
        add(item.teaching_note, f"{item.id} teaching note")
        for option in (*item.options, *item.spans, *(item.part_a.options if item.part_a else ()),
                       *(item.part_b.options if item.part_b else ())):
            add(option.feedback, f"{item.id} feedback on {option.id}")
        for row in item.rows:
            add(row.feedback, f"{item.id} feedback on row {row.id}")
        for outcome, text in item.outcome_feedback.items():
            add(text, f"{item.id} {outcome} feedback")
        for criterion in item.rubric:
            for level in criterion.levels:
                add(level.anchor, f"{item.id} anchor {criterion.id}/{level.points}")
    for source in book_sources(edition):
        for match in FENCE.finditer(source.read_text("utf-8", errors="replace")):
            body = "\n".join(line for line in match.group("body").splitlines()
                             if not line.strip().startswith(("```", ":::", ":")))
            for sentence in re.split(r"(?<=[.!?])\s+", norm(re.sub(r"\{[a-z-]+\}`([^`]*)`", r"\1", body))):
                if len(sentence.split()) >= NOTE_WORDS:  # whole sentences: a note may quote the book's words
                    found.setdefault(sentence, f"{{instructor-only}} in {source.relative_to(edition.book)}")
    public = public_text(edition)
    return {secret: where for secret, where in found.items() if secret not in public}


ITEM_FENCE = re.compile(r"^(`{3,}|:{3,})\{(?:item|exercise-set)\}[^\n]*\n.*?^\1\s*$", re.M | re.S)


def book_sources(edition: Edition) -> list[Path]:
    return [p for p in sorted(edition.book.glob("**/*.md")) if not any(
        part.startswith((".", "_")) or part in ("node_modules", "tests", "benchmarks", "src")
        for part in p.relative_to(edition.book).parts[:-1])]


def public_text(edition: Edition) -> str:
    """What the sources say outside every secret place: prose without ``{instructor-only}`` blocks, the items'
    public fields, the source texts. A "secret" also written here (a note repeating the book) is not a secret."""
    from sourcework.core.model import strip_keys

    def strings(value) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    parts = []
    for source in book_sources(edition):
        text = ITEM_FENCE.sub(" ", FENCE.sub(" ", source.read_text("utf-8", errors="replace")))
        parts.append(re.sub(r"\{[a-z-]+\}`([^`]*)`", r"\1", text))
    for item in edition.items.values():
        parts += strings(strip_keys(item.to_dict()))
    return norm("\n".join(parts))


def readable(path: Path) -> str:
    """A built file as text a browser could read, with HTML entities and JSON \\u escapes undone."""
    data = path.read_bytes()
    if path.name == "objects.inv":
        head, _, rest = data.partition(b"# The remainder of this file is compressed using zlib.\n")
        try:
            data = head + zlib.decompress(rest)
        except zlib.error:
            pass
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text)


def test_no_built_file_contains_a_secret(editions):
    edition = editions["assessment"]
    hidden = secrets(edition)
    assert hidden, "no secrets found in the exercises (is the book empty?)"
    leaks = []
    for path in sorted(p for p in edition.html.rglob("*") if p.is_file()):
        text = norm(readable(path))
        leaks += [f"{path.relative_to(edition.html)}: {where}: {secret[:80]!r}"
                  for secret, where in hidden.items() if secret in text]
    assert not leaks, f"{len(leaks)} secret(s) in the assessment edition's files:\n" + "\n".join(leaks)


def secret_paths(data, path="") -> list[str]:
    if isinstance(data, dict):
        return [f"{path}.{k}" for k in data if k in SECRET_FIELDS] + [
            p for k, v in data.items() for p in secret_paths(v, f"{path}.{k}")]
    if isinstance(data, list):
        return [p for n, v in enumerate(data) for p in secret_paths(v, f"{path}[{n}]")]
    return []


def test_no_key_reachable_from_the_running_page(editions, open_page):
    edition = editions["assessment"]
    hidden = secrets(edition)
    problems = []
    for path in edition.exercise_pages():
        opened = open_page(edition, edition.rel(path))
        page = opened.page
        where = edition.rel(path)
        item_ids = page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)")
        # Answer and save everything, so saved records and status regions are part of what is searched.
        for item_id in item_ids:
            item = edition.items[item_id]
            answer(page, item, key_response(item, multi_rows=multi_rows(page, item_id)))
            said = submit(page, item_id)
            if "correct" in said.lower():
                problems.append(f"{where}: {item_id} said {said!r} after saving the keyed answer")
        live = page.evaluate("""() => [document.documentElement.outerHTML,
            ...[...document.scripts].map(s => s.textContent),
            JSON.stringify(Object.fromEntries(Object.entries(localStorage)))].join('\\n')""")
        text = norm(html.unescape(live))
        problems += [f"{where}: live page: {w}: {s[:80]!r}" for s, w in hidden.items() if s in text]
        for item_id in item_ids:
            data = page.evaluate("id => window.Sourcework.widgets.get(id).data", item_id)
            problems += [f"{where}: {item_id} page data has {p}" for p in secret_paths(data)]
            item = edition.items[item_id]
            oracle = page.evaluate("([id, r]) => { const w = window.Sourcework.widgets.get(id);"
                                   " const s = window.SourceworkScoring.score(w.data, r);"
                                   " return {status: s.status, earned: String(s.earned)}; }",
                                   [item_id, key_response(item, multi_rows=multi_rows(page, item_id))])
            if oracle["status"] == "correct" or oracle["earned"] not in ("0", "0/1"):
                problems.append(f"{where}: the browser scorer grades {item_id}'s key as {oracle} from page data")
        marks = page.eval_on_selector_all(".sw-key-mark, .sw-shown, [data-sw-result]", "e => e.length")
        if marks:
            problems.append(f"{where}: {marks} element(s) mark a key or a result")
        if page.locator(f'{item_selector(item_ids[0])} button[data-sw-action="show"]').count():
            problems.append(f"{where}: a Show answer button in the assessment edition")
        records = page.evaluate("() => Object.values(localStorage).map(v => { try { return JSON.parse(v); }"
                                " catch (e) { return null; } })")
        if any(isinstance(r, dict) and "score" in r for r in records):
            problems.append(f"{where}: a saved answer carries a score")
        opened.context.close()
    assert not problems, f"{len(problems)} way(s) to a key in the assessment edition:\n" + "\n".join(problems)


def search_terms(edition: Edition) -> set[str]:
    text = (edition.html / "searchindex.js").read_text("utf-8")
    data = json.loads(text[text.index("(") + 1: text.rindex(")")])
    # Only words that lead somewhere: an incremental build leaves words of rewritten pages with no documents.
    return {word for kind in ("terms", "titleterms") for word, docs in data.get(kind, {}).items()
            if docs not in ([], None)}


def stems(text: str) -> set[str]:
    """The search index's words for ``text``: Sphinx's English splitter and stemmer, lower-cased."""
    from sphinx.search.en import SearchEnglish

    language = SearchEnglish({})
    return {language.stem(word.lower()) for word in language.split(text)} | {w.lower() for w in language.split(text)}


def visible_text(edition: Edition) -> str:
    parts = []
    for path in edition.pages():
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text("utf-8"), flags=re.S | re.I)
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return "\n".join(parts)


def test_search_index_has_no_secret_word(editions):
    """A word of a secret may be in the index only if a reader of the assessment edition can see it anyway."""
    edition = editions["assessment"]
    secret_words = set().union(*(stems(s) for s in secrets(edition)))
    leaked = sorted((search_terms(edition) & secret_words) - stems(visible_text(edition)))
    assert not leaked, f"the assessment edition's search index has words found only in secrets: {leaked[:50]}"


JSON_BLOCK = re.compile(r'<script type="application/json"[^>]*>(.*?)</script>', re.S)


@pytest.mark.parametrize("name", ["practice", "assessment"])
def test_no_grading_tool_or_book_data_outside_the_instructor_edition(name, editions):
    """The class-grading page is a placeholder: no book JSON (keys, anchors), no grading script, no instructions;
    no JSON block of any page has an anchor, and in the assessment edition none has any secret field."""
    edition = editions[name]
    placeholder = edition.html / "book" / "grade-class.html"
    assert placeholder.exists(), f"{name}: the grading page's placeholder is missing"
    assert "appears only in the instructor edition" in placeholder.read_text("utf-8")
    problems = []
    for path in sorted(edition.html.rglob("*.html")):
        text = path.read_text("utf-8", errors="replace")
        where = edition.rel(path)
        problems += [f"{where}: {mark}" for mark in ('id="sw-class-book"', 'id="sw-grade"', "sw-grade-page.js",
                                                      "sw-grade-rubric.js", "sw-grade-core.js") if mark in text]
        for block in JSON_BLOCK.findall(text):
            data = json.loads(block.replace("<\\/", "</"))
            fields = secret_paths(data) if name == "assessment" else [p for p in secret_paths(data)
                                                                       if p.endswith(".anchor")]
            problems += [f"{where}: a JSON block has {p}" for p in fields]
    assert not problems, f"{len(problems)} piece(s) of the grading page in the {name} edition:\n" + "\n".join(problems)
