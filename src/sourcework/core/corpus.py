"""The source corpus: source documents with numbered paragraphs, the figures and the claims that cite them.

``load_corpus(root)`` reads ``sources/`` and returns the corpus together with every problem found, each located by
file and line. Nothing here imports Sphinx; the extension, the grader and the CLI all call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import yamlloc
from .errors import Problem, SourceworkError
from .law import Law, bib_keys, load_law

LABELS = ("A", "B", "C", "D", "E")
REQUIRED_META = ("id", "label", "title", "publisher", "genre", "date", "date_note", "url", "reuse", "reuse_note")
OPTIONAL_META = ("seed", "audience", "purpose")
GENRES = ("press release", "advocacy blog post", "aggregator article")
REUSE = ("public-domain", "excerpts")
FIGURE_KEYS = ("id", "value", "unit", "counts", "period", "source", "paragraph", "snippet", "display")
# A figure from outside the five sources (FACTS.md): cited by bibliography key and address, confidence-marked.
EXTERNAL_FIGURE_KEYS = ("id", "value", "unit", "counts", "period", "cite", "url", "mark", "display")
EXTERNAL_OPTIONAL = ("note", "display_es")
# display_es: our Spanish rendering of ``display`` ("diciembre de 2019" for "December 2019"), used by {fig} in a
# Spanish text (adapted sources, the Spanish summaries). Its digits, read in order with separators and signs left out,
# must be display's digits (so a display without digits needs a display_es without digits: "más de dos meses").
FIGURE_OPTIONAL = ("display_es",)
CLAIM_KEYS = ("id", "source", "paragraph", "claim", "quote", "kind")
CLAIM_OPTIONAL = ("conflicts_with", "conflict_note")
CLAIM_KINDS = ("fact", "framing", "evaluation", "recommendation", "narrative")

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_PARA = re.compile(r"¶(\d+)\s+(.*)", re.S)


def normalise(text: str) -> str:
    """The verbatim rule: whitespace collapsed, curly quotes made straight. Nothing else is forgiven."""
    return " ".join(text.translate(_QUOTES).split())


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of a source; ``number`` is its position in the original document."""

    number: int
    text: str
    line: int

    @property
    def normalised(self) -> str:
        return normalise(self.text)


@dataclass(frozen=True)
class Block:
    """A body block in document order: a paragraph, a heading or an omission marker."""

    kind: str  # "paragraph" | "heading" | "omission"
    text: str
    number: int = 0


@dataclass
class Source:
    """One source document with its provenance metadata."""

    path: str
    meta: dict[str, Any]
    blocks: list[Block] = field(default_factory=list)
    paragraphs: dict[int, Paragraph] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.meta.get("label", ""))

    def anchor(self, number: int) -> str:
        """The stable HTML id of a paragraph, e.g. ``source-b-p4``."""
        return f"source-{self.label.lower()}-p{number}"

    @property
    def page_anchor(self) -> str:
        return f"source-{self.label.lower()}"


@dataclass(frozen=True)
class Figure:
    """A number the module uses, tied to the paragraph that states it."""

    id: str
    value: Fraction
    unit: str
    counts: str
    period: str
    source: str
    paragraph: int
    snippet: str
    display: str
    line: int
    cite: str = ""
    url: str = ""
    note: str = ""
    display_es: str = ""

    @property
    def external(self) -> bool:
        return bool(self.url)

    def display_in(self, lang: str) -> str:
        """The display for a text in ``lang`` ("en" or "es"); "" when the Spanish display is missing."""
        return self.display_es if lang == "es" else self.display


def digits(text: str) -> str:
    """The digits of ``text`` in order: what display and display_es must share."""
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class Claim:
    """A claim a source makes, with the verbatim quote that supports it."""

    id: str
    source: str
    paragraph: int
    claim: str
    quote: str
    kind: str
    conflicts_with: tuple[str, ...]
    conflict_note: str
    line: int


@dataclass
class Corpus:
    """The whole evidence base. ``problems`` lists everything wrong with it (empty when it is sound)."""

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    law: Law = field(default_factory=Law)  # sources/law.yml: the legal rules stated as current law (core.law)
    # sources/adapted/<x>.<lang>.md (core.adapted): {label: {lang: Adapted}}; sources/glossary-es.yml's entries
    adapted: dict[str, dict[str, Any]] = field(default_factory=dict)
    glossary_es: list[Any] = field(default_factory=list)

    def check_quote(self, label: str, number: int, text: str) -> str | None:
        """None if ``text`` is verbatim in ``label`` ¶``number``, else a sentence saying what is wrong."""
        problem = self.check_paragraph(label, number)
        if problem:
            return problem
        if not normalise(text):
            return "the quotation is empty"
        if normalise(text) not in self.sources[label].paragraphs[number].normalised:
            return f"the quotation is not verbatim in Source {label} ¶{number}: {shorten(text)!r}"
        return None

    def check_paragraph(self, label: str, number: int) -> str | None:
        """None if Source ``label`` has a reproduced paragraph ``number``, else what is wrong."""
        if label not in self.sources:
            return f"unknown source label {label!r} (known: {', '.join(sorted(self.sources)) or 'none'})"
        source = self.sources[label]
        if number not in source.paragraphs:
            numbers = sorted(source.paragraphs)
            span = f"¶{numbers[0]}–¶{numbers[-1]}" if numbers else "none"
            return f"Source {label} has no reproduced paragraph {number} (paragraphs: {span})"
        return None

    def paragraph(self, label: str, number: int) -> Paragraph:
        return self.sources[label].paragraphs[number]


def shorten(text: str, width: int = 70) -> str:
    text = normalise(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_source(path: Path, rel: str) -> tuple[Source, list[Problem]]:
    """Parse one ``sources/x.md`` file: YAML front matter, then ``¶N`` paragraphs, ``##`` headings, ``[…]``."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceworkError(Problem(rel, 0, f"the file is not UTF-8 text (byte {exc.start}).",
                                      "Save it as UTF-8.")) from None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [ln.strip() for ln in lines[1:]]:
        raise SourceworkError(Problem(rel, 1, "missing YAML front matter.",
                                      "Start the file with a '---' line, the metadata, and another '---' line."))
    end = 1 + [ln.strip() for ln in lines[1:]].index("---")
    meta, node = yamlloc.load("\n".join(lines[1:end]), path=rel, first_line=2)
    meta = meta if isinstance(meta, dict) else {}
    for key in REQUIRED_META:
        if key not in meta or meta[key] in (None, ""):
            problems.append(Problem(rel, 1, f"source metadata is missing {key!r}.",
                                    f"Add '{key}: …' to the front matter (see ARCHITECTURE.md, Source files)."))
    for key in meta:
        if key not in REQUIRED_META + OPTIONAL_META:
            problems.append(Problem(rel, yamlloc.line_of(node, key, first_line=2), f"unknown metadata key {key!r}.",
                                    f"Use only: {', '.join(REQUIRED_META + OPTIONAL_META)}."))
    checks = (("label", LABELS), ("genre", GENRES), ("reuse", REUSE))
    for key, allowed in checks:
        if key in meta and meta[key] not in allowed:
            problems.append(Problem(rel, yamlloc.line_of(node, key, first_line=2),
                                    f"{key} {meta[key]!r} is not one of {', '.join(map(repr, allowed))}.",
                                    f"Set {key} to one of the allowed values."))
    for key in ("date", "label"):
        if key in meta:
            meta[key] = str(meta[key])
    source = Source(path=rel, meta=meta)
    last = 0
    for start, block in body_blocks(lines, end):
        if block.startswith("## "):
            source.blocks.append(Block("heading", block[3:].strip()))
        elif block.strip() in ("[…]", "[...]"):
            source.blocks.append(Block("omission", "[…]"))
        elif match := _PARA.fullmatch(block):
            number = int(match.group(1))
            if number <= last:
                problems.append(Problem(rel, start, f"paragraph ¶{number} comes after ¶{last}.",
                                        "Number paragraphs by their position in the original, in increasing order."))
            last = max(last, number)
            source.paragraphs[number] = Paragraph(number, match.group(2), start)
            source.blocks.append(Block("paragraph", match.group(2), number))
        else:
            problems.append(Problem(rel, start, f"a body block must start with '¶N ', '## ' or be '[…]': "
                                    f"{shorten(block, 40)!r}.", "Prefix the paragraph with its number, e.g. '¶3 '."))
    return source, problems


def body_blocks(lines: list[str], end: int) -> Iterator[tuple[int, str]]:
    """The blocks of a body after the front matter's closing line ``lines[end]``: runs of non-blank lines (each
    right-stripped) separated by blank lines, each with the 1-based number of its first line, for errors."""
    block_lines: list[str] = []
    start = 0
    for index in range(end + 1, len(lines) + 1):
        line = lines[index] if index < len(lines) else ""
        if line.strip():
            if not block_lines:
                start = index + 1
            block_lines.append(line.rstrip())
        elif block_lines:
            yield start, "\n".join(block_lines)
            block_lines = []


def load_corpus(root: Path | str) -> Corpus:
    """Load ``<root>/sources``: the five sources, figures.yml, claims.yml and law.yml, every problem located."""
    root = Path(root)
    corpus = Corpus(root=root)
    folder = root / "sources"
    for path in sorted(folder.glob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            source, problems = parse_source(path, rel)
        except SourceworkError as exc:
            corpus.problems.extend(exc.problems)
            continue
        corpus.problems.extend(problems)
        if source.label in corpus.sources:
            corpus.problems.append(Problem(rel, 1, f"label {source.label!r} is already used by "
                                           f"{corpus.sources[source.label].path}.", "Give each source its own label."))
        elif source.label:
            corpus.sources[source.label] = source
    _load_figures(corpus, folder / "figures.yml")
    _load_claims(corpus, folder / "claims.yml")
    corpus.law, problems = load_law(root, bib_keys(root))
    corpus.problems.extend(problems)
    from .adapted import glossary_terms, load_adapted, load_glossary_es  # imports this module

    corpus.adapted, problems = load_adapted(corpus)
    corpus.problems.extend(problems)
    corpus.glossary_es, problems = load_glossary_es(root, glossary_terms(root))
    corpus.problems.extend(problems)
    return corpus


def _entries(corpus: Corpus, path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (),
             alternative: tuple[tuple[str, ...], tuple[str, ...]] | None = None):
    """Yield (entry, line) for each mapping of a YAML list file, reporting missing and unknown keys.

    ``alternative`` is a second (required, optional) schema used for entries that have a ``url`` (external figures);
    their text cannot be checked against a local paragraph.
    """
    rel = path.relative_to(corpus.root).as_posix()
    if not path.exists():
        corpus.problems.append(Problem(rel, 0, "file not found.", f"Create {rel} (see ARCHITECTURE.md)."))
        return
    try:
        data, node = yamlloc.load(path.read_text(encoding="utf-8"), path=rel)
    except SourceworkError as exc:
        corpus.problems.extend(exc.problems)
        return
    if not isinstance(data, list):
        corpus.problems.append(Problem(rel, 1, "expected a YAML list of entries.", "Start each entry with '- id: …'."))
        return
    seen: set[str] = set()
    for index, entry in enumerate(data):
        line = yamlloc.line_of(node, index)
        if not isinstance(entry, dict):
            corpus.problems.append(Problem(rel, line, "entry is not a mapping.", "Write 'key: value' lines."))
            continue
        external = alternative is not None and "url" in entry
        need, may = alternative if (external and alternative) else (required, optional)
        missing = [k for k in need if entry.get(k) in (None, "")]
        unknown = [k for k in entry if k not in need + may]
        if missing:
            corpus.problems.append(Problem(rel, line, f"entry {entry.get('id', index)!r} lacks {', '.join(missing)}.",
                                           "Add the missing keys."))
        if unknown:
            corpus.problems.append(Problem(rel, line, f"unknown key(s) {', '.join(unknown)}.",
                                           f"Use only: {', '.join(need + may)}."))
        if missing:
            continue
        if entry["id"] in seen:
            corpus.problems.append(Problem(rel, line, f"duplicate id {entry['id']!r}.", "Give each entry its own id."))
            continue
        seen.add(entry["id"])
        if external:
            if entry.get("mark") not in ("C", "S"):
                corpus.problems.append(Problem(rel, line, f"{entry['id']}: mark must be C or S (a [U] figure may "
                                               "not be stated as fact).", "Use a confirmed figure, or leave it out."))
                continue
            yield entry, line
            continue
        entry["source"] = str(entry["source"])
        problem = None
        try:
            entry["paragraph"] = int(entry["paragraph"])
        except (TypeError, ValueError):
            problem = f"paragraph {entry['paragraph']!r} is not a number"
        if problem is None:
            text = entry.get("snippet", entry.get("quote", ""))
            problem = corpus.check_quote(entry["source"], entry["paragraph"], str(text))
        if problem:
            corpus.problems.append(Problem(rel, line, f"{entry['id']}: {problem}.",
                                           "Copy the words exactly from the paragraph in sources/, or fix the "
                                           "source label and paragraph number."))
            continue
        yield entry, line


def _load_figures(corpus: Corpus, path: Path) -> None:
    rel = path.relative_to(corpus.root).as_posix()
    for entry, line in _entries(corpus, path, FIGURE_KEYS, FIGURE_OPTIONAL, (EXTERNAL_FIGURE_KEYS, EXTERNAL_OPTIONAL)):
        try:
            value = Fraction(str(entry["value"]))
        except (ValueError, ZeroDivisionError):
            corpus.problems.append(Problem(rel, line, f"{entry['id']}: value {entry['value']!r} is not a number.",
                                           "Write the value as a plain number, e.g. 23100 or 2.05."))
            continue
        display_es = str(entry.get("display_es") or "")
        if display_es and digits(display_es) != digits(str(entry["display"])):
            corpus.problems.append(Problem(
                rel, line, f"{entry['id']}: display_es {display_es!r} does not have the digits of display "
                f"{str(entry['display'])!r}.", "Give the same number in Spanish: the same digits in the same order "
                "(\"diciembre de 2019\" for \"December 2019\"; \"23,100\" keeps the comma), words for words."))
            continue
        corpus.figures[entry["id"]] = Figure(
            id=entry["id"], value=value, unit=str(entry["unit"]), counts=str(entry["counts"]),
            period=str(entry["period"]), source=str(entry.get("source", "")), paragraph=int(entry.get("paragraph", 0)),
            snippet=str(entry.get("snippet", "")), display=str(entry["display"]), line=line,
            cite=str(entry.get("cite", "")), url=str(entry.get("url", "")), note=str(entry.get("note", "")),
            display_es=display_es)


def _load_claims(corpus: Corpus, path: Path) -> None:
    rel = path.relative_to(corpus.root).as_posix()
    pending: list[Claim] = []
    for entry, line in _entries(corpus, path, CLAIM_KEYS, CLAIM_OPTIONAL):
        if entry["kind"] not in CLAIM_KINDS:
            corpus.problems.append(Problem(rel, line, f"{entry['id']}: kind {entry['kind']!r} is unknown.",
                                           f"Use one of: {', '.join(CLAIM_KINDS)}."))
        pending.append(Claim(
            id=entry["id"], source=entry["source"], paragraph=entry["paragraph"], claim=str(entry["claim"]),
            quote=str(entry["quote"]), kind=str(entry["kind"]),
            conflicts_with=tuple(entry.get("conflicts_with") or ()), conflict_note=str(entry.get("conflict_note", "")),
            line=line))
    corpus.claims = {claim.id: claim for claim in pending}
    for claim in pending:
        for other in claim.conflicts_with:
            if other not in corpus.claims:
                corpus.problems.append(Problem(rel, claim.line, f"{claim.id}: conflicts_with names unknown claim "
                                               f"{other!r}.", "Use the id of a claim in this file."))
