"""Exercise directives: ``exercise-set``, ``item``, ``instructor-only`` and ``progress-page``.

Items are parsed and validated by ``core.items`` (problems were already reported, located, at builder-inited);
HTML comes from ``core.render`` so the edition rules live in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..core import render
from ..core.items import parse_item, parse_set_header
from ..export.key import key_in_words
from .sources import note_law_dependency
from .state import corpus_of, sets_of

logger = logging.getLogger(__name__)


def _edition(directive: SphinxDirective) -> str:
    return directive.env.app.config.sourcework_edition


def _raw(html: str) -> nodes.raw:
    return nodes.raw("", html, format="html")


def _heading_level(directive: SphinxDirective) -> int:
    """The level of an item's title: one below the heading of the section the item sits in (the page title is
    h1, so an item directly under it gets h2), so that heading levels descend by one (HTML validity, WCAG 1.3.1)."""
    depth, node = 0, directive.state_machine.node  # the node the directive is parsed into (docutils and MyST)
    while node is not None:
        depth += isinstance(node, nodes.section)
        node = node.parent
    return min(max(depth, 1) + 1, 6)


def _body_line(directive: SphinxDirective) -> int:
    """1-based line of the directive's first body line, matching core.items.directives()."""
    return directive.content_offset + 1 if directive.content else directive.lineno + 1


class ExerciseSetDirective(SphinxDirective):
    """```{exercise-set} — a set header (YAML: id, title, chapter, intro) with the save/download toolbar."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        rel = Path(self.env.doc2path(self.env.docname)).relative_to(self.env.srcdir).as_posix()
        body = "\n".join(self.content)
        if "{law}" in body or "{asof}" in body:
            note_law_dependency(self.env)
        header, problems = parse_set_header(body, path=rel, first_line=_body_line(self))
        sets = {s.id: s for s in sets_of(self.env.app)}
        item_set = sets.get(header.get("id", ""))
        if problems or item_set is None:
            return []  # already reported, located, when the exercises were loaded
        result: list[nodes.Node] = []
        if item_set.intro:
            result.append(nodes.paragraph(text=item_set.intro))
        result.append(_raw(render.render_set_toolbar(item_set, _edition(self))))
        return result


class ItemDirective(SphinxDirective):
    """```{item} — one exercise item (YAML body), rendered for the edition being built."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        rel = Path(self.env.doc2path(self.env.docname)).relative_to(self.env.srcdir).as_posix()
        if not rel.startswith("exercises/"):
            logger.warning("an {item} directive outside exercises/. Fix: move it into an exercise file, where the "
                           "grader can find it.", location=self.get_location(), type="sourcework", subtype="item")
            return []
        body = "\n".join(self.content)
        if "{law}" in body or "{asof}" in body:
            note_law_dependency(self.env)
        item, problems = parse_item(body, path=rel, first_line=_body_line(self), corpus=corpus_of(self.env.app))
        if item is None:
            return []  # already reported, located, when the exercises were loaded
        here = os.path.dirname(self.env.docname) or "."
        numbers = {i.id: n for s in sets_of(self.env.app) for n, i in enumerate(s.items, 1)}

        def para_url(label: str, paragraph: int) -> str:
            page = os.path.relpath(f"book/sources/source-{label.lower()}", here)
            return f"{page}.html#source-{label.lower()}-p{paragraph}"

        html = render.render_item(item, _edition(self), number=numbers.get(item.id), heading_level=_heading_level(self),
                                  para_url=para_url)
        return [_raw(html)]


class InstructorOnlyDirective(SphinxDirective):
    """```{instructor-only} — teaching notes and keys; dropped at parse time in other editions (no leaks)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        if _edition(self) != "instructor":
            return []
        box = nodes.container(classes=["sw-instructor-only"])
        title = self.arguments[0] if self.arguments else "Instructor notes"
        box += nodes.rubric(text=title)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class EditionOnlyDirective(SphinxDirective):
    """```{edition-only} practice assessment — content shown only in the named editions."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        if _edition(self) not in self.arguments[0].split():
            return []
        box = nodes.container(classes=["sw-edition-note"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class ProgressPageDirective(SphinxDirective):
    """```{progress-page} — the "My progress" table of every set, filled from the browser's saved answers."""

    def run(self) -> list[nodes.Node]:
        here = os.path.dirname(self.env.docname)
        sets = []
        for item_set in sets_of(self.env.app):
            docname = item_set.path.removesuffix(".md")
            sets.append({"id": item_set.id, "title": item_set.title, "chapter": item_set.chapter,
                         "url": os.path.relpath(docname, here or ".") + ".html",
                         "possible": str(sum(i.points for i in item_set.items)),
                         "items": [i.id for i in item_set.items]})
        return [_raw(render.render_progress_page(sets, _edition(self)))]


class AnswerKeyDirective(SphinxDirective):
    """```{answer-key} — every set's key, explanations and rubrics with anchors (instructor edition only)."""

    def run(self) -> list[nodes.Node]:
        if _edition(self) != "instructor":
            return []
        result: list[nodes.Node] = []
        for item_set in sets_of(self.env.app):
            box = nodes.container(classes=["sw-answer-key"])
            box += nodes.rubric(text=f"{item_set.title} ({item_set.id})")
            entries = nodes.definition_list()
            for number, item in enumerate(item_set.items, 1):
                term = nodes.term(text=f"{number}. {item.id} — {item.type}, {render.points_label(item.points)}, "
                                       f"{item.skill}, Sources {', '.join(item.sources)}")
                body = nodes.definition()
                body += nodes.paragraph(text=item.stem)
                lines = nodes.bullet_list()
                for line in key_in_words(item):
                    lines += nodes.list_item("", nodes.paragraph(text=line))
                body += lines
                if item.explanation:
                    body += nodes.paragraph(text=f"Why: {item.explanation}")
                for criterion in item.rubric:
                    body += nodes.paragraph(text=f"Rubric — {criterion.criterion}:")
                    levels = nodes.bullet_list()
                    for level in criterion.levels:
                        levels += nodes.list_item("", nodes.paragraph(
                            text=f"{level.points} ({level.label}): {level.descriptor} Anchor: {level.anchor}"))
                    body += levels
                if item.teaching_note:
                    body += nodes.paragraph(text=f"Teaching note: {item.teaching_note}")
                entries += nodes.definition_list_item("", term, body)
            box += entries
            result.append(box)
        return result


def setup_exercises(app: Sphinx) -> None:
    app.add_directive("answer-key", AnswerKeyDirective)
    app.add_directive("exercise-set", ExerciseSetDirective)
    app.add_directive("item", ItemDirective)
    app.add_directive("instructor-only", InstructorOnlyDirective)
    app.add_directive("edition-only", EditionOnlyDirective)
    app.add_directive("progress-page", ProgressPageDirective)
