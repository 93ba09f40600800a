"""The ``{class-grading}`` directive: the page on which a teacher grades a class in the browser (instructor edition).

Instructor edition: the directive's body (the teacher's instructions, MyST), then the tool's mount point and the
book's grading data, ``<script type="application/json" id="sw-class-book">`` from
:func:`sourcework.grader.bookdata.book_json` (keys, rubrics with anchors, item hashes: what the grading engine and
the rubric screen need). ``sw-grade-page.js`` builds the tool in the mount point; ``assets.py`` loads it, the engine
and the scorer on this page only, recognising the page by the data block's id.

Practice and assessment editions: a short placeholder and nothing else: no instructions, no data, no key, no rubric
anchor (``tests/browser/test_key_leaks.py`` and ``tests/test_editions.py`` check it).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..core.render import json_for_script
from .state import sets_of

BOOK_ID = "sw-class-book"  # the data block's id; assets.py recognises the page by it
PLACEHOLDER = ("The class-grading page, which scores your students' answer files with the answer key and the rubrics, "
               "appears only in the instructor edition of this module.")
MOUNT = ('<div class="sw-grade" id="sw-grade" data-sw-grade="1">'
         '<p class="sw-grade-nojs">The grading tool needs JavaScript. It runs in this browser only: your students\' '
         "files are read here and never sent anywhere.</p></div>")


class ClassGradingDirective(SphinxDirective):
    """```{class-grading} — the class-grading tool with its instructions (body), or the placeholder."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        if self.env.app.config.sourcework_edition != "instructor":
            box = nodes.container(classes=["sw-edition-note"])
            box += nodes.paragraph(text=PLACEHOLDER)
            return [box]
        from ..grader.bookdata import book_json  # the grader's side; no Sphinx in it

        result: list[nodes.Node] = []
        if self.content:
            help_box = nodes.container(classes=["sw-grade-help"])
            self.state.nested_parse(self.content, self.content_offset, help_box)
            result.append(help_box)
        config = self.env.app.config
        data = book_json(sets_of(self.env.app), title=config.html_title or config.project)
        html = MOUNT + f'<script type="application/json" id="{BOOK_ID}">{json_for_script(data)}</script>'
        result.append(nodes.raw("", html, format="html"))
        return result


def setup_grading(app: Sphinx) -> None:
    app.add_directive("class-grading", ClassGradingDirective)
