"""The ``{law}`` and ``{asof}`` roles in a Sphinx build: golden HTML in prose, admonitions, tables, glossaries,
``{instructor-only}`` blocks and items; located warnings (so ``-W`` fails) for what cannot be rendered; no warning
for an old rule (only ``sourcework check`` reports age)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from buildhelp import ROOT, fragment, sphinx_build
from buildhelp import check_golden as _check_golden
from test_law import GOOD

GOLDEN = Path(__file__).parent / "golden" / "law"


def check_golden(name: str, text: str) -> None:
    _check_golden(GOLDEN, name, text)
# The test rules without a bibliography key (the real references.bib is copied in) and one checked long ago.
LAW = GOOD.replace("    cite: doe2021\n", "").replace("checked: 2025-11-30", "checked: 2019-01-31")

pytestmark = pytest.mark.build

PAGE = """\
# Law roles

Today {law}`bond-burden`. As of {asof}``, see {law}`old-circuit-rule|cite`; on {asof}`` again.

The syntax shown as code: ```{asof}`` ``` and ``{law}`id` ``.

:::{note}
In a note: {law}`bond-burden|cite`.
:::

| Rule | Date |
|---|---|
| {law}`old-circuit-rule\\|cite` | {asof}`` |

```{glossary}
bond hearing
  A hearing on release: {law}`bond-burden`.
```

```{instructor-only} For teachers
Courts differ: {law}`old-circuit-rule`.
```
"""
SET = """\
# Law set

```{exercise-set}
id: law
title: Law set
chapter: index
intro: "The law as of {asof}``."
```

```{item}
id: law.q1
type: choice
skill: contextualization
sources: [A]
stem: "Who must show what under {law}`bond-burden|cite`?"
options:
  - id: person
    text: "The detained person: {law}`bond-burden`"
    feedback: "Right."
  - id: agency
    text: The agency
    feedback: "No."
key: person
```
"""




def law_sources(folder: Path, text: str = LAW) -> Path:
    shutil.copytree(ROOT / "sources", folder)
    (folder / "law.yml").write_text(text, encoding="utf-8")
    return folder


def build(tmp_path: Path, pages: dict[str, str], *, law: str = LAW, edition: str = "practice",
          exercises: dict[str, str] | None = None):
    return sphinx_build(tmp_path / "book", pages, sources=law_sources(tmp_path / "sources", law),
                        exercises=exercises, edition=edition)


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("practice"), {"index": PAGE}, exercises={"law": SET})
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output  # the rule checked in 2019 gives no warning
    return result


@pytest.fixture(scope="module")
def instructor(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("instructor"), {"index": PAGE}, exercises={"law": SET},
                   edition="instructor")
    assert result.returncode == 0 and "WARNING" not in result.output, result.output
    return result


def test_rule_and_citation_forms(practice):
    html = practice.page("index")
    soup = BeautifulSoup(html, "html.parser")
    first = soup.select_one("span.sw-law")
    assert first["data-sw-law"] == "bond-burden"
    assert " ".join(first.get_text().split()) == ("In a bond hearing, the detained person must show they are not a "
                                                  "danger (8 C.F.R. § 1236.1(c)(8); as of December 2026)")
    assert first.select_one("a.reference.external")["href"] == "https://www.ecfr.gov/current/title-8/section-1236.1"
    check_golden("role-law-paragraph", fragment(html, "section > p:nth-of-type(1)"))


def test_asof_renders_the_date_each_time(practice):
    soup = BeautifulSoup(practice.page("index"), "html.parser")
    assert [s.get_text() for s in soup.select("span.sw-asof")] == ["December 6, 2026"] * 3
    assert [c.get_text().strip() for c in soup.select("code")] == ["{asof}``", "{law}`id`"]


def test_roles_in_admonition_table_and_glossary(practice):
    html = practice.page("index")
    check_golden("role-law-admonition", fragment(html, "div.admonition"))
    check_golden("role-law-table", fragment(html, "table tbody"))
    check_golden("role-law-glossary", fragment(html, "dl.glossary"))
    assert "Courts differ" not in html  # the instructor-only block is not in the practice edition


def test_roles_in_instructor_only_block(instructor):
    html = instructor.page("index")
    check_golden("role-law-instructor-only", fragment(html, "div.sw-instructor-only"))


def test_items_and_set_intro_carry_the_words(practice):
    html = practice.page("exercises/law")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".sw-stem-text").get_text() == ("Who must show what under 8 C.F.R. § 1236.1(c)(8) (as of "
                                                            "December 2026)?")
    assert "The law as of December 6, 2026." in soup.get_text()
    assert "{law}" not in html and "{asof}" not in html
    check_golden("item-law-stem", fragment(html, ".sw-stem"))


BAD_PAGE = """\
# Bad

Unknown {law}`no-such-rule`.

Form {law}`bond-burden|short`.

Date {asof}`today`.

Broken {law}`old-circuit-rule`.

:::{note}
Inside {law}`bond-burdn|cite`.
:::
"""
BAD_ITEM = SET.replace("{law}`bond-burden|cite`", "{law}`missing-rule|cite`")


def test_what_cannot_be_rendered_fails_the_build_located(tmp_path):
    broken = LAW.replace("    url: https://example.org/doe\n", "")  # old-circuit-rule loses its address
    result = build(tmp_path, {"index": BAD_PAGE}, law=broken, exercises={"law": BAD_ITEM})
    assert result.returncode != 0 and "Traceback" not in result.output
    expected = [
        r"index\.md:3: WARNING: rule id 'no-such-rule' is not in sources/law\.yml\. Fix: Use an id from",
        r"index\.md:5: WARNING: unknown \{law\} form 'short' after '\|'",
        r"index\.md:7: WARNING: \{asof\} takes no text \(found 'today'\)\. Fix: Write \{asof\}``",
        r"index\.md:9: WARNING: rule 'old-circuit-rule' has problems in sources/law\.yml \(reported there\)",
        r"index\.md:12: WARNING: rule id 'bond-burdn' is not in sources/law\.yml \(similar: bond-burden\)",
        r"sources/law\.yml:11: WARNING: rule 'old-circuit-rule' has no 'url'\. Fix: Add 'url: …'",
        r"exercises/law\.md:15: WARNING: \[law\.q1\] rule id 'missing-rule' is not in sources/law\.yml",
    ]
    for pattern in expected:
        assert re.search(pattern, result.output), (pattern, result.output)


def test_a_book_without_law_file_builds_and_asof_fails_located(tmp_path):
    folder = law_sources(tmp_path / "sources")
    (folder / "law.yml").unlink()
    result = sphinx_build(tmp_path / "book", {"index": "# T\n\nPlain page.\n"}, sources=folder)
    assert result.returncode == 0 and "WARNING" not in result.output, result.output
    result = sphinx_build(tmp_path / "book", {"index": "# T\n\nAs of {asof}``.\n"}, sources=folder)
    assert result.returncode != 0
    assert re.search(r"index\.md:3: WARNING: sources/law\.yml has no valid as_of date\. Fix: Add 'as_of:",
                     result.output), result.output


def test_an_incremental_build_rereads_pages_when_law_yml_changes(tmp_path):
    """Pages and items that use a role depend on law.yml: a second build after an edit shows the new words."""
    result = build(tmp_path, {"index": "# T\n\nToday {law}`bond-burden`.\n"}, exercises={"law": SET})
    assert result.returncode == 0, result.output
    law_file = tmp_path / "book" / "sources" / "law.yml"
    law_file.write_text(law_file.read_text(encoding="utf-8").replace("checked: 2026-12-06", "checked: 2026-11-02")
                        .replace("nationwide", "in every state"), encoding="utf-8")
    folder = tmp_path / "book"
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-n", "-W", "--keep-going", "-b", "html",
                           str(folder), str(folder / "_build")], capture_output=True, text=True,
                          env={**os.environ, "SOURCEWORK_EDITION": "practice"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "as of November 2026" in result.page("index") and "as of December 2026" not in result.page("index")
    assert "as of November 2026" in result.page("exercises/law")
