"""Exercise directives in a real (small) Sphinx build: numbering, excerpts, editions, located item errors."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from buildhelp import sphinx_build

pytestmark = pytest.mark.build

EXERCISES = {"t": """# Test set

```{exercise-set}
id: t
title: Test set
chapter: index
intro: Two items.
```

```{item}
id: t.genre
type: choice
skill: sourcing
sources: [A]
excerpt:
  - {source: A, paragraph: 3, text: "SAFE is intended to keep the streets of the U.S. and El Salvador safe"}
stem: Who published Source A?
options:
  - {id: a, text: ICE ERO, feedback: The agency published its own release about its own program.}
  - {id: b, text: A newspaper, feedback: No outlet is named anywhere in the release text.}
key: a
explanation: Sourcing starts with the author of the document.
```

```{item}
id: t.second
type: select
skill: close-reading
sources: [A]
stem: Pick the true ones.
options:
  - {id: a, text: First workshop, feedback: The release says this was the first workshop held.}
  - {id: b, text: Held in Boston, feedback: The workshop was held at ILEA in San Salvador instead.}
key: [a]
```
"""}

PAGES = {"index": "# Book\n", "book/sources/source-a": "# Source A\n\n```{source-document} A\n```\n"}


@pytest.mark.parametrize("edition", ["practice", "assessment", "instructor"])
def test_items_are_numbered_and_show_linked_excerpts(tmp_path, edition):
    result = sphinx_build(tmp_path / "b", PAGES, exercises=EXERCISES, edition=edition)
    assert result.returncode == 0, result.output
    soup = BeautifulSoup(result.page("exercises/t"), "html.parser")
    titles = [t.get_text(" ", strip=True) for t in soup.select(".sw-item-title")]
    assert titles == ["Question 1", "Question 2"]
    excerpt = soup.select_one(".sw-excerpt")
    assert "keep the streets of the U.S." in excerpt.get_text()
    assert excerpt.select_one("a")["href"] == "../book/sources/source-a.html#source-a-p3"
    # "Source: A" links the label to the source page (no paragraph: it opens in the reader's version); same words.
    meta = soup.select_one(".sw-sources")
    assert meta.get_text() == "Source: A"
    assert [a["href"] for a in meta.select("a.sw-source-link")] == ["../book/sources/source-a.html"]
    assert soup.select_one(".sw-set")["data-sw-set"] == "t"
    page = result.page("exercises/t")
    assert ("Sourcing starts with the author" in page) == (edition != "assessment")


def test_item_error_fails_the_build_with_file_and_line(tmp_path):
    bad = {"t": EXERCISES["t"].replace("key: [a]", "key: [z]")}
    result = sphinx_build(tmp_path / "b", PAGES, exercises=bad)
    assert result.returncode != 0 and "Traceback" not in result.output
    expected = "exercises/t.md:34: WARNING: [t.second] the key names option 'z', which does not exist. Fix: Use one of"
    assert expected in result.output, result.output


def test_item_titles_descend_by_one_and_source_pages_use_each_id_once(tmp_path):
    """An item's title is one level below the heading above it (h2 under the page title, h3 under an h2), and the
    source page's title and provenance card do not both take the id ``source-a``."""
    parted = {"t": EXERCISES["t"].replace("```{item}\nid: t.second", "## Part two\n\n```{item}\nid: t.second")}
    result = sphinx_build(tmp_path / "b", PAGES, exercises=parted)
    assert result.returncode == 0, result.output
    soup = BeautifulSoup(result.page("exercises/t"), "html.parser")
    levels = [(h.name, h.get_text(" ", strip=True).rstrip(" ¶#")) for h in soup.find("section").select("h1, h2, h3")]
    assert levels == [("h1", "Test set"), ("h2", "Question 1"), ("h2", "Part two"), ("h3", "Question 2")]
    source = BeautifulSoup(result.page("book/sources/source-a"), "html.parser")
    assert len(source.select('[id="source-a"]')) == 1
    assert source.select_one(".sw-provenance") is not None
