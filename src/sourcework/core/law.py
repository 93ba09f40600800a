"""Legal rules stated as current law: ``sources/law.yml``, the ``{law}`` and ``{asof}`` text, and rule age.

``load_law(root)`` reads the file and returns a :class:`Law` with every problem located by file and line (a missing
file means no rules). ``expand(text, law)`` turns ``{law}`id```, ``{law}`id|cite``` and ``{asof}``` in plain item
text into words; the Sphinx roles call ``rule_parts`` and ``long_date`` so prose and items read the same. Nothing
here imports Sphinx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlloc
from .errors import Problem, SourceworkError

LAW_FILE = "sources/law.yml"
TOP_KEYS = ("as_of", "max_age_months", "rules")
RULE_KEYS = ("rule", "citation", "url", "applies", "checked")
RULE_OPTIONAL = ("cite", "note")
DEFAULT_MAX_AGE = 12
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# {law}`id`, {law}`id|cite`, {asof}`` (and {asof}`now`, the form MyST can parse; see sphinx_ext.sources)
ROLE = re.compile(r"\{(?P<name>law|asof)\}`(?P<body>[^`]*)`")
FIX_ID = f"Use an id from {LAW_FILE} (or add the rule there first), e.g. {{law}}`bond-burden-regulation`."


@dataclass(frozen=True)
class Rule:
    """One legal rule, in our words, with where it holds and when it was last checked against the public record."""

    id: str
    rule: str
    citation: str
    url: str
    applies: str
    checked: dt.date
    line: int
    cite: str = ""
    note: str = ""


@dataclass
class Law:
    """The rules of ``sources/law.yml`` (none when the file is missing) and the module's as-of date."""

    path: str = LAW_FILE
    as_of: dt.date | None = None
    max_age_months: int = DEFAULT_MAX_AGE
    rules: dict[str, Rule] = field(default_factory=dict)
    exists: bool = False
    broken: set[str] = field(default_factory=set)  # ids whose entries have problems (reported at the entry)


# ----------------------------------------------------------------------------------------------------- dates


def month_year(day: dt.date) -> str:
    """``December 2026``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """``December 6, 2026``."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def parse_date(value: Any) -> dt.date | None:
    """A YAML date (unquoted ``2026-12-06``) or a ``YYYY-MM-DD`` string as a date; None for anything else."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# ------------------------------------------------------------------------------------------------------ load


def bib_keys(root: Path) -> set[str] | None:
    """The entry keys of ``sources/references.bib``, or None when there is no such file."""
    path = root / "sources" / "references.bib"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return set(re.findall(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", text))


def load_law(root: Path | str, known_cites: set[str] | None = None) -> tuple[Law, list[Problem]]:
    """Read ``<root>/sources/law.yml``: the rules and every problem, located. A missing file means no rules."""
    root = Path(root)
    law = Law()
    path = root / LAW_FILE
    if not path.exists():
        return law, []
    law.exists = True
    rel = LAW_FILE
    problems: list[Problem] = []
    try:
        data, node = yamlloc.load(path.read_text(encoding="utf-8"), path=rel)
    except UnicodeDecodeError as exc:
        return law, [Problem(rel, 0, f"the file is not UTF-8 text (byte {exc.start}).", "Save it as UTF-8.")]
    except SourceworkError as exc:
        return law, exc.problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return law, [Problem(rel, 1, "expected 'as_of:', 'max_age_months:' and 'rules:' at the top level.",
                             "See the comments at the top of the file for its format.")]

    def at(*keys: str | int) -> int:
        return yamlloc.line_of(node, *keys)

    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(rel, at(key), f"unknown top-level key {key!r}.",
                                    f"Use only: {', '.join(TOP_KEYS)} (rules go, indented, under 'rules:')."))
    if "as_of" not in data:
        problems.append(Problem(rel, 1, "the file has no 'as_of' date.",
                                "Add 'as_of: YYYY-MM-DD', the date the module's account of the law describes."))
    else:
        law.as_of = parse_date(data["as_of"])
        if law.as_of is None:
            problems.append(Problem(rel, at("as_of"), f"as_of {data['as_of']!r} is not a YYYY-MM-DD date.",
                                    "Write e.g. 'as_of: 2026-12-06'."))
    if "max_age_months" in data:
        value = data["max_age_months"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(rel, at("max_age_months"), f"max_age_months {value!r} is not a whole number "
                                    "of months (1 or more).", "Write e.g. 'max_age_months: 12'."))
        else:
            law.max_age_months = value
    raw = data.get("rules")
    if raw is None:
        return law, problems
    if not isinstance(raw, dict):
        problems.append(Problem(rel, at("rules"), "'rules' must map rule ids to rules.",
                                "Write each rule as 'rule-id:' (two spaces in) with its fields four spaces in."))
        return law, problems
    problems += _duplicates(rel, node)
    for rid, entry in raw.items():
        rule = _rule(rel, node, rid, entry, law.as_of, known_cites, problems)
        if rule is not None:
            law.rules[rule.id] = rule
        else:
            law.broken.add(str(rid))
    return law, problems


def _duplicates(rel: str, node: yaml.Node | None) -> list[Problem]:
    """Repeated rule ids (YAML would silently keep the last one)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    rules = next((v for k, v in node.value if k.value == "rules"), None)
    if not isinstance(rules, yaml.MappingNode):
        return []
    seen: dict[str, int] = {}
    problems = []
    for knode, _ in rules.value:
        line = knode.start_mark.line + 1
        if knode.value in seen:
            problems.append(Problem(rel, line, f"rule id {knode.value!r} is also used at line {seen[knode.value]}.",
                                    "Give each rule its own id, or merge the two entries into one."))
        seen.setdefault(knode.value, line)
    return problems


def _rule(rel: str, node: yaml.Node | None, rid: Any, entry: Any, as_of: dt.date | None,
          known_cites: set[str] | None, problems: list[Problem]) -> Rule | None:
    line = yamlloc.line_of(node, "rules", rid)
    bad = len(problems)
    if not isinstance(rid, str) or not _RULE_ID.match(rid):
        problems.append(Problem(rel, line, f"rule id {rid!r} may use only lower-case letters, digits and hyphens.",
                                "Rename it, e.g. 'bond-burden-regulation'."))
    if not isinstance(entry, dict):
        problems.append(Problem(rel, line, f"rule {rid!r} is not a mapping of fields.",
                                f"Indent its fields ({', '.join(RULE_KEYS)}) under the id."))
        return None
    for key in entry:
        if key not in RULE_KEYS + RULE_OPTIONAL:
            problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, key), f"rule {rid!r}: unknown field "
                                    f"{key!r}.", f"Use only: {', '.join(RULE_KEYS + RULE_OPTIONAL)}."))
    for key in RULE_KEYS:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, key) if key in entry else line,
                                    f"rule {rid!r} has no {key!r}" + (" (it is empty)." if key in entry else "."),
                                    f"Add '{key}: …' ({_FIELD_HELP[key]})."))
    checked = parse_date(entry.get("checked"))
    if entry.get("checked") is not None and checked is None:
        problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, "checked"), f"rule {rid!r}: checked "
                                f"{entry['checked']!r} is not a YYYY-MM-DD date.", "Write e.g. 'checked: 2026-12-06'."))
    elif checked is not None and as_of is not None and checked > as_of:
        problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, "checked"), f"rule {rid!r}: checked "
                                f"{checked.isoformat()} is after as_of {as_of.isoformat()}.",
                                "Write the day you checked the rule; if the module's date moved on, update as_of."))
    cite = entry.get("cite")
    if cite not in (None, "") and known_cites is not None and str(cite) not in known_cites:
        problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, "cite"), f"rule {rid!r}: cite {cite!r} "
                                "is not a key in sources/references.bib.",
                                "Add the entry to references.bib or use an existing key."))
    for key in ("url",):
        value = entry.get(key)
        if isinstance(value, str) and value.strip() and not value.strip().startswith(("https://", "http://")):
            problems.append(Problem(rel, yamlloc.line_of(node, "rules", rid, key), f"rule {rid!r}: url "
                                    f"{value!r} is not a web address.", "Write the full address, starting https://."))
    if len(problems) > bad or checked is None:
        return None
    return Rule(id=rid, rule=_plain(entry["rule"]), citation=_plain(entry["citation"]), url=str(entry["url"]).strip(),
                applies=_plain(entry["applies"]), checked=checked, line=line,
                cite=str(entry.get("cite") or "").strip(), note=_plain(entry.get("note") or ""))


_FIELD_HELP = {
    "rule": "the rule in our own words, one or two plain sentences",
    "citation": "the statute, regulation or decision, as a practitioner would cite it",
    "url": "an address where a reader can check it",
    "applies": "where it holds: which court, circuit or agency",
    "checked": "YYYY-MM-DD, the day you checked it against the public record",
}


def _plain(value: Any) -> str:
    return " ".join(str(value).split())


# ---------------------------------------------------------------------------------------------------- expand


@dataclass(frozen=True)
class Use:
    """One ``{law}`` or ``{asof}`` use in a text: the form (``rule``, ``cite``, ``asof``) and the rule id."""

    form: str
    id: str = ""


def parse_use(name: str, body: str) -> tuple[Use | None, str]:
    """Read a role's text: (the use, "") or (None, what is wrong). ``id\\|cite`` (a Markdown table's escaped bar)
    reads as ``id|cite``."""
    body = body.replace("\\|", "|").strip()
    if name == "asof":
        if body not in ("", "now"):
            return None, f"{{asof}} takes no text (found {body!r})"
        return Use("asof"), ""
    rid, bar, form = body.partition("|")
    rid, form = rid.strip(), form.strip()
    if not rid:
        return None, "{law} needs a rule id"
    if bar and form != "cite":
        return None, f"unknown {{law}} form {form!r} after '|' (only 'cite' is known)"
    return Use("cite" if bar else "rule", rid), ""


def check_use(use: Use, law: Law) -> str:
    """What is wrong with a use against the rules ("" when it can be rendered)."""
    if use.form == "asof":
        return "" if law.as_of is not None else f"{LAW_FILE} has no valid as_of date"
    if use.id in law.broken:
        return f"rule {use.id!r} has problems in {LAW_FILE} (reported there)"
    if use.id not in law.rules:
        close = [rid for rid in law.rules if use.id.split("-")[0] in rid][:5]
        return f"rule id {use.id!r} is not in {LAW_FILE}" + (f" (similar: {', '.join(close)})" if close else "")
    return ""


def fix_for(problem: str) -> str:
    """How to fix what ``parse_use`` or ``check_use`` found."""
    if problem.startswith(f"{LAW_FILE} has no valid as_of"):
        return f"Add 'as_of: YYYY-MM-DD' to {LAW_FILE}."
    if problem.endswith("(reported there)"):
        return f"Fix the rule's entry in {LAW_FILE} first."
    if problem.startswith("{asof}"):
        return "Write {asof}`` (nothing between the backticks)."
    if problem.startswith("a {law} or {asof} role"):
        return "Write the role as {law}`rule-id`, {law}`rule-id|cite` or {asof}``, with no space before the backtick."
    return FIX_ID


def rule_parts(rule: Rule, form: str) -> tuple[str, str, str]:
    """(before, citation, after): the words around the citation, which HTML makes a link to ``rule.url``.

    ``rule`` → "<rule> (<citation>; as of <Month YYYY>)"; ``cite`` → "<citation> (as of <Month YYYY>)". A final
    full stop of the rule is dropped: the sentence around the role supplies its own punctuation.
    """
    when = month_year(rule.checked)
    if form == "cite":
        return "", rule.citation, f" (as of {when})"
    text = rule.rule[:-1] if rule.rule.endswith(".") else rule.rule
    return f"{text} (", rule.citation, f"; as of {when})"


def render_use(use: Use, law: Law) -> str:
    """The plain-text form of a checked use."""
    if use.form == "asof":
        assert law.as_of is not None
        return long_date(law.as_of)
    return "".join(rule_parts(law.rules[use.id], use.form))


def expand(text: str, law: Law) -> tuple[str, list[str]]:
    """``text`` with every ``{law}``/``{asof}`` role replaced by its words, and what was wrong (unchanged uses)."""
    if "{law}" not in text and "{asof}" not in text:
        return text, []
    errors: list[str] = []

    def one(match: re.Match[str]) -> str:
        use, problem = parse_use(match.group("name"), match.group("body"))
        problem = problem or check_use(use, law)  # type: ignore[arg-type]
        if problem:
            errors.append(problem)
            return match.group(0)
        return render_use(use, law)  # type: ignore[arg-type]

    stray = len(re.findall(r"\{(?:law|asof)\}", text)) - len(ROLE.findall(text))
    if stray > 0:
        errors.append("a {law} or {asof} role is not written {law}`id` or {asof}`` (backticks right after the braces)")
    return ROLE.sub(one, text), errors


def _verbatim(at: tuple[Any, ...]) -> bool:
    """Source words (an item's excerpts, a mark item's passage and span texts) are never expanded."""
    return bool(at) and (at[0] in ("excerpt", "passage") or (at[0] == "spans" and at[-1] == "text" and len(at) == 3))


def expand_data(value: Any, law: Law, report: Callable[[tuple[Any, ...], str, str], None],
                at: tuple[Any, ...] = ()) -> Any:
    """Parsed YAML (an item's body) with every text expanded; ``report(keys, message, fix)`` for each problem.

    A text without a role is returned as it was, so the content hash of an item that uses no role is unchanged.
    """
    if _verbatim(at):
        return value
    if isinstance(value, str):
        text, errors = expand(value, law)
        for error in errors:
            report(at, f"{error}.", fix_for(error))
        return text
    if isinstance(value, dict):
        return {key: expand_data(entry, law, report, (*at, key)) for key, entry in value.items()}
    if isinstance(value, list):
        return [expand_data(entry, law, report, (*at, index)) for index, entry in enumerate(value)]
    return value


USE_FOLDERS = ("book", "exercises")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


def scan_uses(root: Path | str, folders: tuple[str, ...] = USE_FOLDERS) -> list[tuple[str, int, str, str]]:
    """Every ``{law}``/``{asof}`` use in the pages (.md, .ipynb) under ``folders``: (file, line, role, text).

    Code is skipped: fenced blocks other than directives (```` ```{name} ````) and inline code (a role right after
    a double backtick), so a page may show the syntax without using it.
    """
    root = Path(root)
    found: list[tuple[str, int, str, str]] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".md", ".ipynb") or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            rel = path.relative_to(root).as_posix()
            fence, directives = "", []  # the open code fence; the open directive fences, innermost last
            for number, line in enumerate(text.split("\n"), 1):
                match = _FENCE.match(line)
                if fence:
                    if match and match.group(1).startswith(fence) and not match.group(2).strip():
                        fence = ""
                    continue
                if match:
                    marker, info = match.group(1), match.group(2).strip()
                    if info.startswith("{"):
                        directives.append(marker)
                    elif not info and directives and marker == directives[-1]:
                        directives.pop()
                        continue
                    else:
                        fence = marker
                        continue
                for use in ROLE.finditer(line):
                    if not line[:use.start()].endswith("``"):
                        found.append((rel, number, use.group("name"), use.group("body")))
    return found


def used_rule_ids(root: Path | str) -> set[str]:
    """Every rule id the book's pages and exercise files (``book/``, ``exercises/``: .md and .ipynb) refer to."""
    return {body.replace("\\|", "|").partition("|")[0].strip()
            for _rel, _line, name, body in scan_uses(root) if name == "law"}


def page_problems(root: Path | str, law: Law, folders: tuple[str, ...] = ("book",)) -> list[Problem]:
    """A located problem for each ``{law}``/``{asof}`` use in the pages that cannot be rendered (the build says the
    same; this also covers ``{instructor-only}`` text, which other editions never parse)."""
    problems = []
    for rel, line, name, body in scan_uses(root, folders):
        use, problem = parse_use(name, body)
        problem = problem or check_use(use, law)  # type: ignore[arg-type]
        if problem:
            problems.append(Problem(rel, line, f"{problem}.", fix_for(problem)))
    return problems


# ---------------------------------------------------------------------------------------------------- checks


def stale_rules(law: Law, today: dt.date, max_age_months: int | None = None) -> list[Problem]:
    """A located warning for each rule last checked more than ``max_age_months`` before ``today``."""
    months = law.max_age_months if max_age_months is None else max_age_months
    limit = months_before(today, months)
    return [Problem(law.path, rule.line, f"rule {rule.id!r} last checked {rule.checked.isoformat()}, more than "
                    f"{months} months ago: re-check it against the public record and update 'checked'.")
            for rule in sorted(law.rules.values(), key=lambda r: r.line) if rule.checked < limit]


def unused_rules(law: Law, used: set[str]) -> list[Problem]:
    """A located warning for each rule no page or item refers to."""
    return [Problem(law.path, rule.line, f"rule {rule.id!r} is not used by any page or item.",
                    "Refer to it with {law}`" + rule.id + "` where the module states it, or delete it.")
            for rule in sorted(law.rules.values(), key=lambda r: r.line) if rule.id not in used]
