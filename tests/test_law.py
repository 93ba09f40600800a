"""Legal rules (``sources/law.yml``, ``core.law``): located errors, the ``{law}``/``{asof}`` words, rule age.

Like the figures' tests: each validation error names the file and the line; each test starts from a sound file and
breaks one thing, so it fails if the check is gone. The item consumers (HTML, key, QTI, handouts, feedback pages)
are in ``test_law_items.py``, the Sphinx roles in ``test_law_build.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from sourcework import cli
from sourcework.core import law as lawcore
from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises, parse_item
from sourcework.core.law import Law, Rule, expand, load_law, months_before, stale_rules, unused_rules, used_rule_ids

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI = TESTS / "books" / "mini"

# A sound file. Line numbers matter: the tests below assert them.
GOOD = """\
# header comment
as_of: 2026-12-06
max_age_months: 12
rules:
  bond-burden:
    rule: In a bond hearing, the detained person must show they are not a danger.
    citation: 8 C.F.R. § 1236.1(c)(8)
    url: https://www.ecfr.gov/current/title-8/section-1236.1
    applies: immigration courts nationwide
    checked: 2026-12-06
  old-circuit-rule:
    rule: A court of appeals rule
    citation: Doe v. Roe, 1 F.4th 1 (4th Cir. 2021)
    url: https://example.org/doe
    applies: Fourth Circuit
    checked: 2025-11-30
    cite: doe2021
    note: Other circuits disagree (as of December 2026).
"""
BIB = "@article{doe2021,\n  title = {Doe v. Roe},\n  year = {2021}\n}\n"


def write_book(folder: Path, law_text: str | None = GOOD, bib: str | None = BIB) -> Path:
    """The mini book in ``folder`` with the given law.yml (None: no file) and references.bib."""
    shutil.copytree(MINI, folder)
    if law_text is not None:
        (folder / "sources" / "law.yml").write_text(law_text, encoding="utf-8")
    if bib is not None:
        (folder / "sources" / "references.bib").write_text(bib, encoding="utf-8")
    return folder


def problems_of(tmp_path: Path, text: str) -> list[str]:
    book = write_book(tmp_path / "book", text)
    law, problems = load_law(book, lawcore.bib_keys(book))
    return [str(p) for p in problems]


# --- loading ---------------------------------------------------------------------------------------------------


def test_sound_file_loads_every_field(tmp_path):
    book = write_book(tmp_path / "book")
    law, problems = load_law(book, lawcore.bib_keys(book))
    assert problems == []
    assert law.as_of == dt.date(2026, 12, 6) and law.max_age_months == 12 and law.exists
    assert list(law.rules) == ["bond-burden", "old-circuit-rule"]
    rule = law.rules["old-circuit-rule"]
    assert (rule.line, rule.checked, rule.cite, rule.applies) == (11, dt.date(2025, 11, 30), "doe2021",
                                                                  "Fourth Circuit")
    assert rule.note.startswith("Other circuits")


def test_corpus_exposes_the_rules_and_their_problems(tmp_path):
    corpus = load_corpus(write_book(tmp_path / "book", GOOD.replace("    applies: Fourth Circuit\n", "")))
    assert "bond-burden" in corpus.law.rules and "old-circuit-rule" not in corpus.law.rules
    assert ["sources/law.yml:11: rule 'old-circuit-rule' has no 'applies'."] == [
        f"{p.location}: {p.message}" for p in corpus.problems]


def test_missing_file_means_no_rules_and_no_problems(tmp_path):
    corpus = load_corpus(write_book(tmp_path / "book", None))
    assert corpus.problems == [] and corpus.law.rules == {} and not corpus.law.exists and corpus.law.as_of is None


@pytest.mark.parametrize("rules", ["rules:\n", "rules: {}\n", "rules:\n  # === part A ===\n\n  # === end ===\n"])
def test_empty_rules_are_no_rules(tmp_path, rules):
    assert problems_of(tmp_path, "as_of: 2026-12-06\n" + rules) == []


def test_the_real_file_is_sound():
    law, problems = load_law(ROOT, lawcore.bib_keys(ROOT))
    assert [str(p) for p in problems] == []
    assert law.as_of is not None


# (what to change in GOOD, the line the error must name, words the message must contain)
BAD = {
    "unknown-field": (("    applies: Fourth Circuit\n", "    applies: Fourth Circuit\n    source: B\n"), 16,
                      "rule 'old-circuit-rule': unknown field 'source'"),
    "missing-rule": (("    rule: A court of appeals rule\n", ""), 11, "rule 'old-circuit-rule' has no 'rule'."),
    "empty-citation": (("    citation: Doe v. Roe, 1 F.4th 1 (4th Cir. 2021)\n", "    citation: ''\n"), 13,
                       "rule 'old-circuit-rule' has no 'citation' (it is empty)"),
    "missing-url": (("    url: https://example.org/doe\n", ""), 11, "rule 'old-circuit-rule' has no 'url'"),
    "url-not-an-address": (("url: https://example.org/doe", "url: example.org/doe"), 14, "is not a web address"),
    "empty-applies": (("    applies: Fourth Circuit\n", "    applies:\n"), 15, "has no 'applies' (it is empty)"),
    "missing-checked": (("    checked: 2025-11-30\n", ""), 11, "rule 'old-circuit-rule' has no 'checked'"),
    "checked-not-a-date": (("checked: 2025-11-30", "checked: last week"), 16,
                           "checked 'last week' is not a YYYY-MM-DD date"),
    "checked-impossible-date": (("checked: 2025-11-30", "checked: '2025-02-30'"), 16,
                                "is not a YYYY-MM-DD date"),
    "checked-with-a-time": (("checked: 2025-11-30", "checked: 2025-11-30 10:00:00"), 16,
                            "is not a YYYY-MM-DD date"),
    "checked-after-as-of": (("checked: 2025-11-30", "checked: 2026-12-07"), 16,
                            "checked 2026-12-07 is after as_of 2026-12-06"),
    "bad-id-characters": (("  old-circuit-rule:", "  Old_Circuit:"), 11,
                          "rule id 'Old_Circuit' may use only lower-case letters, digits and hyphens"),
    "duplicate-id": (("  old-circuit-rule:", "  bond-burden:"), 11,
                     "rule id 'bond-burden' is also used at line 5"),
    "cite-not-in-bib": (("cite: doe2021", "cite: nobody2020"), 17,
                        "cite 'nobody2020' is not a key in sources/references.bib"),
    "as-of-missing": (("as_of: 2026-12-06\n", ""), 1, "the file has no 'as_of' date"),
    "as-of-bad": (("as_of: 2026-12-06", "as_of: December 2026"), 2, "as_of 'December 2026' is not a YYYY-MM-DD"),
    "unknown-top-level-key": (("max_age_months: 12\n", "max_age_months: 12\nsources: x\n"), 4,
                              "unknown top-level key 'sources'"),
    "max-age-not-a-number": (("max_age_months: 12", "max_age_months: a year"), 3, "max_age_months 'a year'"),
    "rule-not-a-mapping": (("  bond-burden:\n    rule:", "  bond-burden: a rule\n  x:\n    rule:"), 5,
                           "rule 'bond-burden' is not a mapping of fields"),
    "rules-not-a-mapping": ((GOOD[GOOD.index("rules:"):], "rules:\n  - bond-burden\n"), 4,
                            "'rules' must map rule ids to rules"),
    "yaml-syntax": (("    applies: Fourth Circuit", "    applies: [Fourth Circuit"), 16, "YAML syntax error"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_error_names_file_and_line_and_fix(tmp_path, case):
    (old, new), line, words = BAD[case]
    assert old in GOOD
    found = problems_of(tmp_path, GOOD.replace(old, new, 1))
    assert any(p.startswith(f"sources/law.yml:{line}: ") and words in p for p in found), found
    assert all("Fix:" in p for p in found), found


def test_cite_is_not_checked_without_a_bibliography(tmp_path):
    book = write_book(tmp_path / "book", GOOD.replace("cite: doe2021", "cite: nobody2020"), bib=None)
    assert load_law(book, lawcore.bib_keys(book))[1] == []


def test_not_utf8_is_located(tmp_path):
    book = write_book(tmp_path / "book")
    (book / "sources" / "law.yml").write_bytes(GOOD.encode("utf-8").replace("§".encode(), b"\xa7"))
    assert [p.location for p in load_law(book)[1]] == ["sources/law.yml"]


# --- dates and words -------------------------------------------------------------------------------------------


def test_dates_in_words():
    assert lawcore.month_year(dt.date(2026, 12, 6)) == "December 2026"
    assert lawcore.long_date(dt.date(2026, 12, 6)) == "December 6, 2026"
    assert lawcore.long_date(dt.date(2027, 1, 31)) == "January 31, 2027"


@pytest.mark.parametrize(("day", "months", "expected"), [
    ((2026, 12, 6), 12, (2025, 12, 6)), ((2026, 3, 31), 1, (2026, 2, 28)), ((2024, 3, 31), 1, (2024, 2, 29)),
    ((2026, 1, 15), 1, (2025, 12, 15)), ((2026, 12, 6), 0, (2026, 12, 6)), ((2026, 5, 31), 18, (2024, 11, 30))])
def test_months_before(day, months, expected):
    assert months_before(dt.date(*day), months) == dt.date(*expected)


@pytest.fixture
def law(tmp_path) -> Law:
    return load_law(write_book(tmp_path / "book"))[0]


def test_expand_the_three_forms(law):
    text, errors = expand("As of {asof}``: {law}`bond-burden`. Cited: {law}`bond-burden|cite`.", law)
    assert errors == []
    assert text == ("As of December 6, 2026: In a bond hearing, the detained person must show they are not a danger "
                    "(8 C.F.R. § 1236.1(c)(8); as of December 2026). Cited: 8 C.F.R. § 1236.1(c)(8) "
                    "(as of December 2026).")


def test_expand_dates_each_rule_by_its_own_check(law):
    assert expand("{law}`old-circuit-rule`", law)[0] == ("A court of appeals rule (Doe v. Roe, 1 F.4th 1 (4th Cir. "
                                                          "2021); as of November 2025)")
    assert expand("{asof}`now` {law}` old-circuit-rule | cite `", law)[0] == (
        "December 6, 2026 Doe v. Roe, 1 F.4th 1 (4th Cir. 2021) (as of November 2025)")


@pytest.mark.parametrize(("text", "words"), [
    ("{law}`no-such-rule`", "rule id 'no-such-rule' is not in sources/law.yml"),
    ("{law}`bond-burdn`", "(similar: bond-burden)"),
    ("{law}`bond-burden|short`", "unknown {law} form 'short'"),
    ("{law}``", "{law} needs a rule id"),
    ("{asof}`2026`", "{asof} takes no text"),
    ("{law}`bond-burden\\|cites`", "unknown {law} form 'cites'"),
    ("{law} `bond-burden`", "a {law} or {asof} role is not written {law}`id`"),
    ("{asof}", "a {law} or {asof} role is not written"),
])
def test_expand_reports_what_it_cannot_render_and_leaves_it(law, text, words):
    out, errors = expand(f"x {text} y", law)
    assert out == f"x {text} y"
    assert len(errors) == 1 and words in errors[0], errors
    assert lawcore.fix_for(errors[0])


def test_asof_without_a_date_is_an_error():
    assert expand("{asof}``", Law())[1] == ["sources/law.yml has no valid as_of date"]


def test_text_without_a_role_is_the_same_object(law):
    text = "Plain {fig}`x` text with `backticks` and {braces}."
    assert expand(text, law)[0] is text


def test_a_broken_rule_is_named_as_broken_not_unknown(tmp_path):
    book = write_book(tmp_path / "book", GOOD.replace("    url: https://example.org/doe\n", ""))
    broken = load_law(book)[0]
    assert "rule 'old-circuit-rule' has problems in sources/law.yml" in expand("{law}`old-circuit-rule`", broken)[1][0]


# --- items -----------------------------------------------------------------------------------------------------

ITEM = """\
id: t.q1
type: choice
skill: sourcing
sources: [A]
stem: "Which holds as of {asof}``?"
options:
  - id: a
    text: "{law}`bond-burden|cite`"
    feedback: "Yes: {law}`bond-burden`."
  - id: b
    text: No rule at all
    feedback: "No: see {law}`nope`."
key: a
explanation: "{law}`old-circuit-rule`"
teaching_note: "Checked {law}`old-circuit-rule|cite`."
"""


def test_item_text_is_expanded_and_an_unknown_id_is_located(tmp_path):
    corpus = load_corpus(write_book(tmp_path / "book"))
    item, problems = parse_item(ITEM, path="exercises/t.md", first_line=20, corpus=corpus, set_id="t")
    assert item is None
    assert [str(p) for p in problems] == [
        "exercises/t.md:31: [t.q1] rule id 'nope' is not in sources/law.yml. Fix: Use an id from sources/law.yml "
        "(or add the rule there first), e.g. {law}`bond-burden-regulation`."]
    item, problems = parse_item(ITEM.replace("{law}`nope`", "nothing"), path="exercises/t.md", first_line=20,
                                corpus=corpus)
    assert problems == [] and item is not None
    assert item.stem == "Which holds as of December 6, 2026?"
    assert item.options[0].text == "8 C.F.R. § 1236.1(c)(8) (as of December 2026)"
    assert item.options[0].feedback.startswith("Yes: In a bond hearing,") and item.options[0].feedback.endswith(").")
    assert item.explanation.endswith("(Doe v. Roe, 1 F.4th 1 (4th Cir. 2021); as of November 2025)")
    assert "{law}" not in json.dumps(item.to_dict()) and "{asof}" not in json.dumps(item.to_dict())


def test_item_hashes_do_not_change_for_items_without_the_role(tmp_path):
    """The committed sample submissions carry the mini book's item hashes; a law.yml beside it changes none."""
    committed = json.loads((TESTS / "submissions" / "passes_all.json").read_text(encoding="utf-8"))["item_hashes"]
    book = write_book(tmp_path / "book")
    sets, problems = load_exercises(book, load_corpus(book))
    assert problems == []
    assert {i.id: i.content_hash() for s in sets for i in s.items} == committed


def test_set_intro_is_expanded(tmp_path):
    book = write_book(tmp_path / "book")
    path = book / "exercises" / "mini.md"
    path.write_text(path.read_text(encoding="utf-8").replace("chapter: book/index\n", "chapter: book/index\n"
                    "intro: \"The law as of {asof}``; {law}`bond-burden|cite`; {law}`gone`.\"\n", 1), encoding="utf-8")
    sets, problems = load_exercises(book, load_corpus(book))
    assert sets[0].intro.startswith("The law as of December 6, 2026; 8 C.F.R. § 1236.1(c)(8) (as of December 2026)")
    assert [(p.location, p.message[:20]) for p in problems] == [("exercises/mini.md:10", "rule id 'gone' is no")]


# --- age and use -----------------------------------------------------------------------------------------------


def test_stale_rules_counts_whole_months_from_today(law):
    assert stale_rules(law, dt.date(2026, 11, 30)) == []  # checked 2025-11-30: 12 months old, not more
    messages = [str(p) for p in stale_rules(law, dt.date(2026, 12, 1))]
    assert messages == ["sources/law.yml:11: rule 'old-circuit-rule' last checked 2025-11-30, more than 12 months "
                        "ago: re-check it against the public record and update 'checked'."]
    assert stale_rules(law, dt.date(2026, 10, 31), 11) == []  # 11 months before: 2025-11-30 (short month)
    assert [p.line for p in stale_rules(law, dt.date(2026, 11, 1), 11)] == [11]
    assert [p.line for p in stale_rules(law, dt.date(2028, 1, 1))] == [5, 11]


def test_unused_rules_are_located(tmp_path, law):
    (tmp_path / "book" / "book").mkdir()
    (tmp_path / "book" / "book" / "ch1.md").write_text("Text {law}`bond-burden|cite`.\n", encoding="utf-8")
    used = used_rule_ids(tmp_path / "book")
    assert used == {"bond-burden"}
    assert [f"{p.location}: {p.message}" for p in unused_rules(law, used)] == [
        "sources/law.yml:11: rule 'old-circuit-rule' is not used by any page or item."]


def test_rule_parts_split_the_words_around_the_citation():
    rule = Rule("r", "Rule text.", "Cit.", "https://x.org", "everywhere", dt.date(2026, 1, 2), 3)
    assert lawcore.rule_parts(rule, "rule") == ("Rule text (", "Cit.", "; as of January 2026)")
    assert lawcore.rule_parts(rule, "cite") == ("", "Cit.", " (as of January 2026)")


# --- sourcework check ------------------------------------------------------------------------------------------


def run_check(capsys, book: Path, *args: str) -> tuple[int, str, str]:
    status = cli.main(["--root", str(book), "check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def test_check_lists_old_and_unused_rules_as_warnings(tmp_path, capsys):
    book = write_book(tmp_path / "book")
    (book / "book").mkdir()
    (book / "book" / "index.md").write_text("{law}`bond-burden` and {law}`old-circuit-rule|cite`.\n", "utf-8")
    status, out, err = run_check(capsys, book, "--today", "2026-11-30")
    assert (status, err) == (0, "") and "2 legal rules" in out and "0 problem(s), 0 warning(s)" in out
    status, out, err = run_check(capsys, book, "--today", "2026-12-01")
    assert status == 0 and "0 problem(s), 1 warning(s)" in out
    assert err == ("sources/law.yml:11: rule 'old-circuit-rule' last checked 2025-11-30, more than 12 months ago: "
                   "re-check it against the public record and update 'checked'.\n")
    status, out, err = run_check(capsys, book, "--today", "2027-01-07", "--law-max-age", "1")
    assert status == 0 and "rule 'bond-burden' last checked 2026-12-06, more than 1 months ago" in err
    (book / "book" / "index.md").write_text("{law}`bond-burden`\n", "utf-8")
    status, out, err = run_check(capsys, book, "--today", "2026-11-30")
    assert status == 0 and "sources/law.yml:11: rule 'old-circuit-rule' is not used by any page or item." in err


def test_check_takes_the_age_from_the_file(tmp_path, capsys):
    book = write_book(tmp_path / "book", GOOD.replace("max_age_months: 12", "max_age_months: 6"))
    status, out, err = run_check(capsys, book, "--today", "2026-06-01")
    assert status == 0 and "more than 6 months ago" in err


def test_check_fails_on_an_unknown_rule_in_an_item(tmp_path, capsys):
    book = write_book(tmp_path / "book")
    path = book / "exercises" / "mini.md"
    text = path.read_text(encoding="utf-8").replace("stem: What kind of document is Source A?",
                                                    "stem: \"What kind of document is Source A? {law}`nope`\"", 1)
    path.write_text(text, encoding="utf-8")
    status, out, err = run_check(capsys, book, "--today", "2026-12-06")
    assert status == 1 and "exercises/mini.md:18: [mini.q1] rule id 'nope' is not in sources/law.yml" in err


def test_check_fails_on_a_bad_rule_file(tmp_path, capsys):
    book = write_book(tmp_path / "book", GOOD.replace("checked: 2025-11-30", "checked: soon"))
    status, out, err = run_check(capsys, book, "--today", "2026-12-06")
    assert status == 1 and "sources/law.yml:16: rule 'old-circuit-rule': checked 'soon'" in err


@pytest.mark.parametrize("args", [("--today", "2026-13-01"), ("--today", "tomorrow"), ("--law-max-age", "0"),
                                  ("--law-max-age", "x")])
def test_check_refuses_bad_options(capsys, args):
    assert cli.main(["--root", str(MINI), "check", *args]) == 2
    assert "error: argument" in capsys.readouterr().err


def test_check_on_a_book_without_rules_is_unchanged(capsys):
    status, out, err = run_check(capsys, MINI)
    assert status == 0 and err == "" and "0 legal rules" in out


SCANNED = """\
Intro {law}`a`.

```{note}
Inside {law}`b` and ``{law}`shown` `` as code.
```

```python
x = "{law}`code`"
```

````{admonition} T
```{instructor-only}
{law}`c|cite`
```
{asof}``
````

~~~
{law}`tilde`
~~~
End {law}`d`

| Rule |
|---|
| {law}`e\\|cite` |
"""


def test_page_uses_skip_code_and_keep_directives(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(SCANNED, encoding="utf-8")
    assert lawcore.scan_uses(tmp_path) == [("book/page.md", 1, "law", "a"), ("book/page.md", 4, "law", "b"),
                                           ("book/page.md", 13, "law", "c|cite"), ("book/page.md", 15, "asof", ""),
                                           ("book/page.md", 21, "law", "d"), ("book/page.md", 25, "law", "e\\|cite")]
    assert used_rule_ids(tmp_path) == {"a", "b", "c", "d", "e"}


def test_check_finds_an_unknown_rule_in_an_instructor_only_block(tmp_path, capsys):
    """Other editions never parse {instructor-only} text, so the check reads the pages too."""
    book = write_book(tmp_path / "book")
    (book / "book").mkdir()
    (book / "book" / "guide.md").write_text("# Guide\n\n```{instructor-only}\nSee {law}`bond-burdn`.\n```\n"
                                            "{law}`bond-burden` {law}`old-circuit-rule`\n", encoding="utf-8")
    status, out, err = run_check(capsys, book, "--today", "2026-11-30")
    assert status == 1 and "1 problem(s)" in out
    assert err.startswith("book/guide.md:4: rule id 'bond-burdn' is not in sources/law.yml (similar: bond-burden).")


def test_source_words_are_never_expanded(tmp_path):
    """An excerpt (like a mark item's passage and spans) is the source's own words: a role there is not read as one,
    so the only complaint is that the words are not in the source."""
    corpus = load_corpus(write_book(tmp_path / "book"))
    body = ITEM.replace("{law}`nope`", "nothing").replace(
        "stem:", "excerpt:\n  - {source: A, paragraph: 1, text: \"{law}`nope` words\"}\nstem:", 1)
    _item, problems = parse_item(body, path="exercises/t.md", first_line=1, corpus=corpus)
    messages = [p.message for p in problems]
    assert len(messages) == 1 and "not verbatim" in messages[0], messages
