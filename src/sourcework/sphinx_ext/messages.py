"""The interface message catalogs (``static/messages/<lang>.json``): loading, checking, and the script the pages get.

Each catalog is a flat JSON object ``{key: text}``; ``{name}`` in a text is a placeholder filled by the script.
``check_catalogs`` returns a sentence per problem, naming the file and the key: a key missing in a language, a
placeholder one language has and another lacks, a script (``static/sw-*.js``) asking for a key no catalog has
(the lookup calls are ``t("key"`` / ``tn("key"`` and the ``data-sw-msg="key"`` attributes that the Python side
writes). The build reports each as a warning (``-W`` fails), and ``tests/test_i18n.py`` runs the same check.
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
MESSAGES = STATIC / "messages"
LANGS = ("en", "es")
# Written by the build into _static: every catalog, added to window.SourceworkMessages ({lang: {key: text}}); loaded
# by sw-i18n.js only when a reader chooses another language (an English page has its words from words_prologue).
SCRIPT = "sw-messages.js"
# Scripts that show no student-facing words (or whose words are another helper's, e.g. the teacher's grading page).
NOT_SCANNED = ("sw-grade-",)
_LOOKUP = re.compile(r"""\b(t|tn|msg)\(\s*["']([a-z][\w.-]*)["']""")
_ATTR = re.compile(r"""data-sw-msg=\\?["']([a-z][\w.-]*)\\?["']""")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A string literal that could be a key, or a key's prefix ending in "." ("score.counts." + type).
_LITERAL = re.compile(r"""["'`]([a-z][\w-]*(?:\.[\w-]+)*\.?)["'`]""")


def _read(folder: str, lang: str) -> dict[str, str]:
    path = Path(folder) / f"{lang}.json"
    data = json.loads(path.read_text("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def catalog(lang: str = "en", folder: Path = MESSAGES) -> dict[str, str]:
    return _read(str(folder), lang)


def msg(key: str, lang: str = "en", **values: object) -> str:
    """A catalog text with its placeholders filled (what the Python side writes into pages: the English default)."""
    words = catalog(lang).get(key) or catalog("en")[key]
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), words)


SWITCH_CLASS = "sw-lang-switch"
_FIRST_H1_END = re.compile(r"</h1>")


def switch_html() -> str:
    """The language switch (English / Español) as ``sw-i18n.js`` wires it: written into the page after its title, so
    the page does not move when the script runs (the script only wires it). ``pst-js-only``:
    the theme hides it when scripts are off, since it would do nothing."""
    buttons = "".join(
        f'<button type="button" class="sw-btn sw-lang-button" lang="{code}" data-sw-lang="{code}" '
        f'aria-pressed="{str(code == LANGS[0]).lower()}">{escape(catalog(code)["lang.name"])}</button>'
        for code in LANGS)
    return (f'<div class="{SWITCH_CLASS} pst-js-only" role="group" data-sw-msg-label="lang.legend" '
            f'aria-label="{escape(msg("lang.legend"))}">{buttons}'
            '<span class="sw-lang-status sw-visually-hidden" role="status"></span></div>')


def with_switch(body: str) -> str:
    """``body`` with the language switch after its first ``<h1>`` (unchanged if it has none or has a switch)."""
    if f'class="{SWITCH_CLASS}' in body:
        return body
    return _FIRST_H1_END.sub(lambda m: m.group(0) + switch_html(), body, count=1)


def _code(source: str) -> str:
    """A script or module without its comments: they are not lookups (the examples in a docstring or JSDoc)."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    return "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("//", "#", "*")))


def _plural_keys(code: str) -> set[str]:
    """tn("key", count) picks "key.one" or "key.other": both, for each such call in ``code``."""
    return {f"{key}.{form}" for call, key in _LOOKUP.findall(code) if call == "tn" for form in ("one", "other")}


def used_keys(static: Path = STATIC, extra: tuple[Path, ...] = ()) -> dict[str, list[str]]:
    """{key: [files that ask for it]} over the shipped scripts and the Python modules that write ``data-sw-msg``."""
    found: dict[str, list[str]] = {}
    files = [p for p in sorted(static.glob("sw-*.js")) if not p.name.startswith(NOT_SCANNED)]
    files += [p for p in sorted(Path(__file__).resolve().parent.glob("*.py")) if p.name != "messages.py"]
    for path in files + list(extra):
        source = _code(path.read_text("utf-8"))
        keys = {key for call, key in _LOOKUP.findall(source) if call != "tn"} | _plural_keys(source)
        for key in sorted(keys | set(_ATTR.findall(source))):
            found.setdefault(key, []).append(path.name)
    return found


def check_catalogs(folder: Path | None = None, static: Path = STATIC) -> list[str]:
    """Every problem with the catalogs, one sentence each naming the file and the key. ``folder`` defaults to
    ``static/messages`` (or ``SOURCEWORK_MESSAGES_DIR``, which the tests use to build with a damaged catalog)."""
    folder = folder or Path(os.environ.get("SOURCEWORK_MESSAGES_DIR") or MESSAGES)
    problems: list[str] = []
    catalogs: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        path = folder / f"{lang}.json"
        try:
            catalogs[lang] = {str(k): str(v) for k, v in json.loads(path.read_text("utf-8")).items()}
        except (OSError, ValueError, AttributeError) as exc:
            problems.append(f"static/messages/{lang}.json cannot be read ({exc}). Fix: write a JSON object "
                            "{key: text}.")
            catalogs[lang] = {}
    every = set().union(*catalogs.values()) if catalogs else set()
    for lang, entries in catalogs.items():
        for key in sorted(every - set(entries)):
            problems.append(f"static/messages/{lang}.json: key {key!r} is missing. Fix: add its "
                            f"{lang} text (the other catalogs have it).")
        for key, words in sorted(entries.items()):
            if not words.strip():
                problems.append(f"static/messages/{lang}.json: key {key!r} is empty. Fix: write its text.")
            english = catalogs.get("en", {}).get(key)
            if english is not None and set(_PLACEHOLDER.findall(words)) != set(_PLACEHOLDER.findall(english)):
                problems.append(f"static/messages/{lang}.json: key {key!r} has placeholders "
                                f"{sorted(set(_PLACEHOLDER.findall(words)))} but en.json has "
                                f"{sorted(set(_PLACEHOLDER.findall(english)))}. Fix: use the same {{names}}.")
    for key, files in sorted(used_keys(static).items()):
        for lang, entries in catalogs.items():
            # t("score.counts." + type): a prefix, which some key must start with.
            if key.endswith(".") and any(k.startswith(key) for k in entries):
                continue
            if key not in entries:
                problems.append(f"{', '.join(files)} asks for key {key!r}, which static/messages/{lang}.json lacks. "
                                f"Fix: add it to every catalog, or correct the key.")
    return problems


# The words' global, made by whichever script runs first; and the one line a shipped script starts with (one line:
# the JSON between has no raw line break).
_GLOBAL = "globalThis.SourceworkMessages=globalThis.SourceworkMessages||{}"
_WORDS_HEAD = "(function(m){m.en=Object.assign(m.en||{},"
_WORDS_TAIL = ")})(" + _GLOBAL + ");"


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def script_text(folder: Path = MESSAGES) -> str:
    """``sw-messages.js``: every catalog, compact, added to the global (the build writes it; sw-i18n.js loads it the
    first time a reader chooses another language than English)."""
    data = {lang: catalog(lang, folder) for lang in LANGS}
    return f"Object.assign({_GLOBAL},{_json(data)});\n"


def script_words(source: str, english: dict[str, str]) -> dict[str, str]:
    """The English words a script (its readable ``source``) can ask for: every string literal outside its comments
    that is a key of ``english``, every key starting with a literal that ends in "." (``"score.counts." + type``),
    and both forms of each ``tn("key", …)``. More than it asks for in English alone, never less: a key that only
    reaches ``t`` through a variable is still written as a literal somewhere in the script."""
    code = _code(source)
    literals = set(_LITERAL.findall(code)) | _plural_keys(code)
    prefixes = tuple(lit for lit in literals if lit.endswith("."))
    return {key: words for key, words in english.items() if key in literals or key.startswith(prefixes)}


def split_words(shipped: str) -> tuple[dict[str, str], str]:
    """A shipped script's English words (``words_prologue``) and the script after them ({} and the whole text when
    it has none)."""
    line, _, rest = shipped.partition("\n")
    if not (line.startswith(_WORDS_HEAD) and line.endswith(_WORDS_TAIL)):
        return {}, shipped
    return json.loads(line[len(_WORDS_HEAD):-len(_WORDS_TAIL)]), rest


def words_prologue(words: dict[str, str]) -> str:
    """The line the build puts at the head of a script as it ships it: the script's English words, added to
    ``window.SourceworkMessages.en`` (so a page loads only the English its own scripts can show). "" for none."""
    return f"{_WORDS_HEAD}{_json(words)}{_WORDS_TAIL}\n" if words else ""
