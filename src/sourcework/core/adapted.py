"""Adapted versions of the sources (``sources/adapted/<x>.<lang>.md``) and the bilingual glossary
(``sources/glossary-es.yml``). No Sphinx imports.

The format is the one agreed in ``/work/briefs/adapted-spec.md`` (session 6) and restated in ARCHITECTURE.md,
"Adapted sources". Format changes made by the engine since the spec (none so far) are listed here:

- The role ``{fig}`` in a Spanish file renders the figure's ``display_es`` (sources/figures.yml); a figure
  without one is a located problem here and in the build.

``load_adapted(corpus)`` reads every adapted file and returns ``{label: {lang: Adapted}}`` and the located problems;
``load_glossary_es(root, terms)`` reads the bilingual glossary. ``core.corpus.load_corpus`` calls both, so
``sourcework check`` and the build report every problem with file, line and fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import yamlloc
from .errors import Problem, SourceworkError

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

ADAPTED_DIR = "sources/adapted"
GLOSSARY_ES = "sources/glossary-es.yml"
GLOSSARY_PARTS = "book/glossary"
LANGS = ("en", "es")
META_KEYS = ("source", "lang", "title", "head_note", "word_bank")
WORD_BANK_KEYS = ("term", "meaning")
WORD_BANK_SIZE = (4, 10)
GLOSSARY_KEYS = ("en", "es", "def")
ROLES = {"en": ("fig", "term"), "es": ("fig",)}
_NAME = re.compile(r"^([a-e])\.(en|es)\.md$")
_PARA = re.compile(r"¶(\d+)\s*\[([^\]]*)\]\s*(.*)", re.S)
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")
# Double-quoted passages, straight or curly. Angle quotes «…» (a Spanish rendering) are not checked.
_QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_ROLE = re.compile(r"\{([A-Za-z][\w:-]*)\}`([^`]*)`")
FIX_FORMAT = "See ARCHITECTURE.md, Adapted sources (e.g. '¶1 [1, 2] Our sentences …')."


@dataclass(frozen=True)
class AdaptedParagraph:
    """Adapted paragraph ``number`` (1, 2, …) standing for the original paragraphs ``originals``."""

    number: int
    originals: tuple[int, ...]
    text: str
    line: int


@dataclass(frozen=True)
class AdaptedBlock:
    kind: str  # "paragraph" | "cut"
    paragraph: AdaptedParagraph | None = None


@dataclass
class Adapted:
    """One adapted document: an original source retold in plain English or in Spanish."""

    path: str
    label: str
    lang: str
    title: str
    head_note: str
    word_bank: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[AdaptedBlock] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[AdaptedParagraph]:
        return [b.paragraph for b in self.blocks if b.paragraph is not None]

    def shape(self) -> list[tuple[str, int, tuple[int, ...]]]:
        """What a Spanish file must share with the English one: the paragraphs, their mapping and the cuts."""
        return [(b.kind, b.paragraph.number, b.paragraph.originals) if b.paragraph else ("cut", 0, ())
                for b in self.blocks]

    def anchor(self, number: int) -> str:
        return f"source-{self.label.lower()}-{self.lang}-p{number}"

    @property
    def body_text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class GlossaryEntry:
    en: str
    es: str
    definition: str
    line: int


def plain(text: str) -> str:
    """The words of an adapted paragraph as read aloud or measured: roles give their text, emphasis is dropped."""
    text = _ROLE.sub(lambda m: m.group(2).split("<")[0].strip(), text)
    return re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", text)


def parse_originals(raw: str) -> tuple[tuple[int, ...], str | None]:
    """'1, 3-5' → (1, 3, 4, 5); a problem sentence when the list is malformed."""
    numbers: list[int] = []
    for part in raw.split(","):
        match = _RANGE.match(part)
        if not match:
            return (), f"{part.strip() or 'an empty entry'!r} is not a paragraph number or a range like 3-5"
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if high < low:
            return (), f"the range {part.strip()!r} runs backwards"
        numbers.extend(range(low, high + 1))
    if not numbers:
        return (), "the list of original paragraphs is empty"
    if sorted(set(numbers)) != numbers:
        return (), "the original paragraphs must be listed once each, in increasing order"
    return tuple(numbers), None


def check_quotations(text: str, originals: list[str]) -> list[str]:
    """Every double-quoted passage of ``text`` must be verbatim in ``originals`` (the mapped paragraphs, joined):
    an ellipsis inside splits it into pieces, each verbatim, in order. Returns a sentence per passage that is not."""
    from .corpus import normalise, shorten

    haystack = normalise(" ".join(originals))
    problems = []
    for match in _QUOTED.finditer(text):
        quote = match.group(1) if match.group(1) is not None else match.group(2)
        pieces = [normalise(p) for p in _ELLIPSIS.split(quote) if normalise(p)]
        if not pieces:
            problems.append(f"the quotation {quote!r} is empty")
            continue
        at = 0
        for piece in pieces:
            found = haystack.find(piece, at)
            if found < 0:
                where = "not verbatim in" if haystack.find(piece) < 0 else "out of order in"
                problems.append(f"the quoted words {shorten(piece)!r} are {where} the original paragraphs it maps")
                break
            at = found + len(piece)
    return problems


def _front_matter(path: Path, rel: str) -> tuple[dict[str, Any], Any, list[str], int]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [ln.strip() for ln in lines[1:]]:
        raise SourceworkError(Problem(rel, 1, "missing YAML front matter.",
                                      "Start the file with '---', the keys source, lang, title, head_note, "
                                      "word_bank, and another '---' line."))
    end = 1 + [ln.strip() for ln in lines[1:]].index("---")
    meta, node = yamlloc.load("\n".join(lines[1:end]), path=rel, first_line=2)
    return (meta if isinstance(meta, dict) else {}), node, lines, end


def parse_adapted(path: Path, rel: str, corpus: Corpus) -> tuple[Adapted | None, list[Problem]]:
    """Parse and check one adapted file against its original (the corpus)."""
    from .corpus import body_blocks  # corpus imports this module

    problems: list[Problem] = []

    def add(line: int, message: str, fix: str) -> None:
        problems.append(Problem(rel, line, message, fix))

    name = _NAME.match(path.name)
    if not name:
        return None, [Problem(rel, 1, f"the file name {path.name!r} is not '<x>.<lang>.md' (x in a…e, lang en or es).",
                              "Rename it, e.g. 'b.en.md' or 'b.es.md'.")]
    try:
        meta, node, lines, end = _front_matter(path, rel)
    except SourceworkError as exc:
        return None, exc.problems
    line_of = lambda *keys: yamlloc.line_of(node, *keys, first_line=2)  # noqa: E731
    for key in meta:
        if key not in META_KEYS:
            add(line_of(key), f"unknown front-matter key {key!r}.", f"Use only: {', '.join(META_KEYS)}.")
    for key in META_KEYS:
        if meta.get(key) in (None, "", []):
            add(1, f"the front matter has no {key!r}.", f"Add '{key}: …' (see ARCHITECTURE.md, Adapted sources).")
    label = str(meta.get("source", "")).strip().upper()
    lang = str(meta.get("lang", "")).strip()
    if label and label not in corpus.sources:
        add(line_of("source"), f"unknown source {label!r}.",
            f"Use the label of a source in sources/: {', '.join(sorted(corpus.sources)) or 'none'}.")
        return None, problems
    if label and label.lower() != name.group(1):
        add(line_of("source"), f"source {label!r} does not match the file name {path.name!r}.",
            f"Set 'source: {name.group(1).upper()}' or rename the file.")
    if lang and lang not in LANGS:
        add(line_of("lang"), f"lang {lang!r} is not one of {', '.join(LANGS)}.", "Write 'lang: en' or 'lang: es'.")
    elif lang and lang != name.group(2):
        add(line_of("lang"), f"lang {lang!r} does not match the file name {path.name!r}.",
            f"Set 'lang: {name.group(2)}' or rename the file.")
    label = label or name.group(1).upper()
    lang = name.group(2)
    if label not in corpus.sources:
        add(1, f"unknown source {label!r}.", "Name the file after a source in sources/.")
        return None, problems
    original = corpus.sources[label]
    word_bank: list[tuple[str, str]] = []
    raw_bank = meta.get("word_bank")
    if raw_bank not in (None, "", []):
        if not isinstance(raw_bank, list):
            add(line_of("word_bank"), "word_bank is not a list.", "Write '- term: …' and '  meaning: …' entries.")
        else:
            for index, entry in enumerate(raw_bank):
                where = line_of("word_bank", index)
                if not isinstance(entry, dict) or any(not str(entry.get(k, "") or "").strip() for k in WORD_BANK_KEYS):
                    add(where, f"word bank entry {index + 1} needs a term and a meaning.",
                        "Write '- term: …' and '  meaning: …'.")
                    continue
                unknown = [k for k in entry if k not in WORD_BANK_KEYS]
                if unknown:
                    add(where, f"word bank entry {index + 1} has unknown key(s) {', '.join(unknown)}.",
                        "Use only 'term' and 'meaning'.")
                word_bank.append((str(entry["term"]).strip(), " ".join(str(entry["meaning"]).split())))
            low, high = WORD_BANK_SIZE
            if not low <= len(raw_bank) <= high:
                add(line_of("word_bank"), f"the word bank has {len(raw_bank)} entries; it needs {low} to {high}.",
                    "Keep the words a reader most needs, in the order met.")
    head_note = " ".join(str(meta.get("head_note") or "").split())
    for problem in check_quotations(head_note, [p.text for p in original.paragraphs.values()]):
        add(line_of("head_note"), f"head note: {problem}.", "Copy the words exactly from the original, or drop the "
            "double quotes (use italics for titles).")
    adapted = Adapted(path=rel, label=label, lang=lang, title=" ".join(str(meta.get("title") or "").split()),
                      head_note=head_note, word_bank=word_bank)
    expected = 1
    for start, block in body_blocks(lines, end):  # blocks separated by blank lines, as in the originals
        if block.strip() in ("[…]", "[...]"):
            if adapted.blocks and adapted.blocks[-1].kind == "cut":
                add(start, "two cuts follow each other.", "Keep one '[…]' line.")
            adapted.blocks.append(AdaptedBlock("cut"))
            continue
        match = _PARA.fullmatch(block)
        if not match:
            add(start, f"a body block must start with '¶N [original paragraphs]' or be '[…]': {block[:40]!r}.",
                FIX_FORMAT)
            continue
        number = int(match.group(1))
        if number != expected:
            add(start, f"adapted paragraph ¶{number} should be numbered ¶{expected}.",
                "Number the adapted paragraphs 1, 2, 3 … in order.")
        expected = number + 1
        originals, bad = parse_originals(match.group(2))
        if bad:
            add(start, f"¶{number}: {bad}.", "Write the original paragraph numbers, e.g. '[1, 2]' or '[3-5]'.")
            continue
        missing = [n for n in originals if n not in original.paragraphs]
        if missing:
            numbers = sorted(original.paragraphs)
            add(start, f"¶{number}: Source {label} has no paragraph {', '.join(map(str, missing))} "
                f"(it has ¶{numbers[0]}–¶{numbers[-1]}).", f"Use paragraph numbers of {original.path}.")
            continue
        text = match.group(3).strip()
        if not text:
            add(start, f"¶{number} has no text.", "Write the adapted sentences after the brackets.")
            continue
        for role in _ROLE.finditer(text):
            if role.group(1) not in ROLES[lang]:
                add(start, f"¶{number}: the role {{{role.group(1)}}} is not allowed in an adapted text.",
                    f"Use only {', '.join('{' + r + '}' for r in ROLES[lang])} and emphasis.")
            elif role.group(1) == "fig" and role.group(2).strip() not in corpus.figures:
                add(start, f"¶{number}: figure id {role.group(2).strip()!r} is not in sources/figures.yml.",
                    "Use an id from sources/figures.yml.")
            elif role.group(1) == "fig" and not corpus.figures[role.group(2).strip()].display_in(lang):
                add(start, f"¶{number}: figure {role.group(2).strip()!r} has no display_es, so a Spanish text "
                    "would show its English display.", "Add display_es to that figure in sources/figures.yml "
                    "(ARCHITECTURE.md, Formats: figures).")
        words = [original.paragraphs[n].text for n in originals]
        for quote_problem in check_quotations(_ROLE.sub("", text), words):
            add(start, f"¶{number}: {quote_problem} ({', '.join(f'¶{n}' for n in originals)}).",
                "Copy the words exactly from those paragraphs (an ellipsis … may join pieces, in order), map the "
                "paragraph that holds them, or drop the double quotes.")
        adapted.blocks.append(AdaptedBlock("paragraph", AdaptedParagraph(number, originals, text, start)))
    if not adapted.paragraphs:
        add(end + 1, "the adapted text has no paragraphs.", FIX_FORMAT)
    return adapted, problems


def load_adapted(corpus: Corpus) -> tuple[dict[str, dict[str, Adapted]], list[Problem]]:
    """Every ``sources/adapted/*.md`` of ``corpus.root``: {label: {lang: Adapted}} and the problems found."""
    folder = corpus.root / ADAPTED_DIR
    found: dict[str, dict[str, Adapted]] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.md")):
        rel = path.relative_to(corpus.root).as_posix()
        try:
            adapted, more = parse_adapted(path, rel, corpus)
        except UnicodeDecodeError as exc:
            problems.append(Problem(rel, 0, f"the file is not UTF-8 text (byte {exc.start}).", "Save it as UTF-8."))
            continue
        problems.extend(more)
        if adapted is not None:
            found.setdefault(adapted.label, {})[adapted.lang] = adapted
    for versions in found.values():
        english, spanish = versions.get("en"), versions.get("es")
        if english and spanish and english.shape() != spanish.shape():
            problems.append(Problem(spanish.path, _first_difference(english, spanish),
                                    f"the paragraphs, their original paragraphs or the cuts differ from {english.path}"
                                    f" ({_describe(english)} there, {_describe(spanish)} here).",
                                    "Give the Spanish file the same ¶ numbers, the same [..] lists and the same "
                                    "cuts as the English one."))
    return found, problems


def _describe(adapted: Adapted) -> str:
    return " ".join("[…]" if kind == "cut" else f"¶{n}{list(o)}" for kind, n, o in adapted.shape())


def _first_difference(english: Adapted, spanish: Adapted) -> int:
    for index, (a, b) in enumerate(zip(english.shape(), spanish.shape(), strict=False)):
        if a != b:
            paragraph = spanish.blocks[index].paragraph
            return paragraph.line if paragraph else 1
    return 1


# ------------------------------------------------------------------------------------------- the glossaries

_TERM_LINE = re.compile(r"^(\S.*?)\s*$")


def glossary_terms(root: Path) -> dict[str, str]:
    """The English glossary's terms (``book/glossary/_part*.md``, MyST ``{glossary}`` blocks): {term: file}.

    In a glossary block, a term is a line at the block's indentation followed by an indented definition (a term
    line may be followed by more term lines: synonyms of one entry).
    """
    terms: dict[str, str] = {}
    for path in sorted((root / GLOSSARY_PARTS).glob("_part*.md")):
        rel = path.relative_to(root).as_posix()
        inside = False
        fence = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if not inside:
                match = re.match(r"^(`{3,}|:{3,})\{glossary\}", stripped)
                if match:
                    inside, fence = True, match.group(1)
                continue
            if stripped == fence:
                inside = False
                continue
            if not stripped or stripped.startswith(":") or line[:1].isspace():
                continue
            term = _TERM_LINE.match(line)
            if term:
                terms[term.group(1)] = rel
    return terms


def load_glossary_es(root: Path, terms: dict[str, str]) -> tuple[list[GlossaryEntry], list[Problem]]:
    """``sources/glossary-es.yml`` (absent: no entries): each ``en`` must be a term of the English glossary."""
    path = root / GLOSSARY_ES
    if not path.exists():
        return [], []
    try:
        data, node = yamlloc.load(path.read_text(encoding="utf-8"), path=GLOSSARY_ES)
    except SourceworkError as exc:
        return [], exc.problems
    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return [], [Problem(GLOSSARY_ES, 1, "expected a mapping with a 'terms:' list.",
                            "Start the file with 'terms:' and one '- en: …' entry per term.")]
    for key in data:
        if key != "terms":
            problems.append(Problem(GLOSSARY_ES, yamlloc.line_of(node, key), f"unknown key {key!r}.",
                                    "Use only 'terms:'."))
    seen: set[str] = set()
    lowered = {t.lower(): t for t in terms}
    for index, entry in enumerate(data["terms"]):
        line = yamlloc.line_of(node, "terms", index)
        if not isinstance(entry, dict):
            problems.append(Problem(GLOSSARY_ES, line, "entry is not a mapping.", "Write 'en:', 'es:' and 'def:'."))
            continue
        missing = [k for k in GLOSSARY_KEYS if not str(entry.get(k) or "").strip()]
        unknown = [k for k in entry if k not in GLOSSARY_KEYS]
        if missing:
            problems.append(Problem(GLOSSARY_ES, line, f"entry {index + 1} lacks {', '.join(missing)}.",
                                    "Give each entry 'en', 'es' and 'def'."))
        if unknown:
            problems.append(Problem(GLOSSARY_ES, line, f"entry {index + 1} has unknown key(s) {', '.join(unknown)}.",
                                    "Use only 'en', 'es' and 'def'."))
        if missing:
            continue
        english = str(entry["en"]).strip()
        if english not in terms:
            close = lowered.get(english.lower())
            problems.append(Problem(GLOSSARY_ES, line, f"{english!r} is not a term of the English glossary "
                                    f"({GLOSSARY_PARTS}/_part*.md).",
                                    f"Write it exactly as the glossary does ({close!r})." if close else
                                    "Use a term defined in the English glossary, spelled as there."))
            continue
        if english in seen:
            problems.append(Problem(GLOSSARY_ES, line, f"{english!r} appears twice.", "Keep one entry per term."))
            continue
        seen.add(english)
        entries.append(GlossaryEntry(english, " ".join(str(entry["es"]).split()),
                                     " ".join(str(entry["def"]).split()), line))
    return entries, problems
