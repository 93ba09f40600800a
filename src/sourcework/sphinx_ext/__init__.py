"""The Sphinx layer: wires the core into a Jupyter Book build. Thin by design; all logic lives in ``core``.

Event order: ``config-inited`` (edition tag) → ``builder-inited`` (load corpus and exercises, report located
problems, write the exercise JS and CSS for HTML builders) → directives and roles run while documents are read →
``html-page-context`` (each page gets the exercise assets it needs, see ``assets.py``).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .. import __version__
from ..core.corpus import load_corpus
from ..core.items import load_exercises
from ..core.model import EDITIONS, content_hash
from . import a11y, assets, exercises, grading, messages, sources, state, theme

logger = logging.getLogger(__name__)


def edition_of(app: Sphinx) -> str:
    """The edition being built: SOURCEWORK_EDITION overrides the ``sourcework_edition`` setting."""
    return os.environ.get("SOURCEWORK_EDITION") or app.config.sourcework_edition


def warn(problem: Any) -> None:
    """Log a located core Problem as a Sphinx warning (fails a -W build; no traceback)."""
    what = f"[{problem.item}] {problem.message}" if problem.item else problem.message
    logger.warning(what + (f" Fix: {problem.fix}" if problem.fix else ""),
                   location=problem.location, type="sourcework", subtype="content")


def on_config_inited(app: Sphinx, config: Any) -> None:  # event 1
    edition = edition_of(app)
    if edition not in EDITIONS:
        logger.warning(f"unknown edition {edition!r}; building 'practice'. Fix: set SOURCEWORK_EDITION to one of "
                       f"{', '.join(EDITIONS)}.", type="sourcework", subtype="config")
        edition = "practice"
    config.sourcework_edition = edition
    app.tags.add(f"edition_{edition}")
    # Every page carries the content hash (sw-main.js's data attribute). As an "html" setting it enters Sphinx's
    # build info, so when any exercise changes, every page is rewritten, not only the pages whose sources changed.
    root = Path(app.srcdir)
    config.sourcework_content_hash = content_hash(load_exercises(root, load_corpus(root))[0])
    # Likewise the shipped scripts, stylesheets and catalogs, and the rules added to the theme's bundle: a change to
    # any of them rewrites every page (each names them with a checksum) and copies the new files (and so remakes
    # the bundle), even when no page's source changed.
    config.sourcework_assets_hash = assets.sources_digest() + ":" + f"{zlib.crc32(theme.FIXES_CSS.encode()):08x}"


def on_builder_inited(app: Sphinx) -> None:  # event 2
    root = Path(app.srcdir)
    corpus = load_corpus(root)
    sets, problems = load_exercises(root, corpus)
    for problem in corpus.problems + problems:
        warn(problem)
    state.store(app, corpus, sets)
    if app.builder.format != "html":
        return
    # The shipped copies (minified unless switched off) go to a folder of the build, never into the package.
    shipped = Path(app.doctreedir) / "sourcework-static"
    checksums = assets.write_static(shipped, minified=assets.minify_wanted(app.config.sourcework_minify_assets),
                                    warn=lambda text: logger.warning(text, type="sourcework", subtype="assets"))
    app.config.html_static_path.append(str(shipped))
    for sentence in messages.check_catalogs():
        logger.warning(sentence, type="sourcework", subtype="messages")
    app.config.sourcework_lazy_assets = assets.lazy_setting(checksums)


def _is_thebe(asset: Any) -> bool:
    return "thebe" in str(asset).lower() or "THEBE" in getattr(asset, "attributes", {}).get("body", "")


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add the exercise assets this page needs (Sphinx adds them to this page only); drop sphinx-thebe's assets
    (Jupyter Book always adds them): they name a CDN and the book runs offline."""
    stylesheets, scripts = assets.page_assets(context.get("body") or "")
    for name in stylesheets:
        # media="print": the browser fetches it without holding up the page's first paint
        if name == assets.PRINT_CSS:
            app.add_css_file(name, media="print")
        else:
            app.add_css_file(name)
    settings = {"data-content-hash": app.config.sourcework_content_hash,
                "data-book-title": app.config.html_title or app.config.project,
                "data-edition": app.config.sourcework_edition}
    lazy = app.config.sourcework_lazy_assets
    for name in scripts:
        attributes = {**(settings if name == assets.MAIN_JS else {}),
                      **({"data-sw-lazy": lazy[name]} if name in lazy else {})}
        app.add_js_file(name, **attributes)
    if assets.I18N_JS in scripts and "body" in context:
        context["body"] = messages.with_switch(context["body"])
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove sphinx-thebe's per-page configuration block (it points at mybinder.org)."""
    for node in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in node.astext():
            node.parent.remove(node)


def setup_extension(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("sourcework_edition", "practice", "env", [str])
    app.add_config_value("sourcework_content_hash", "", "html", [str])
    app.add_config_value("sourcework_assets_hash", "", "html", [str])
    app.add_config_value("sourcework_minify_assets", True, "html", [bool])  # false: ship readable JS/CSS
    app.add_config_value("sourcework_lazy_assets", {}, "html", [dict])  # set at builder-inited
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-resolved", on_doctree_resolved, priority=900)  # after sphinx-thebe adds its block
    app.connect("html-page-context", on_html_page_context)
    app.connect("build-finished", a11y.on_build_finished)
    theme.setup_theme(app)
    sources.setup_sources(app)
    exercises.setup_exercises(app)
    grading.setup_grading(app)
    # env_version: raised when what the extension stores or adds to pages changes, so Sphinx rebuilds every page of an
    # existing build instead of leaving old pages naming old files (2: assets by need; 3: theme assets by need and
    # deferred; 4: item title levels follow the page's headings, and a source page's card no longer repeats the
    # title's id; 5: adapted source versions, the interface-language and Listen scripts; 6: the language switch and the
    # version switch written into the pages; 7: the chosen source version shown as the page is read; 8: and the
    # original too when the address names it).
    return {"version": __version__, "env_version": 8, "parallel_read_safe": True, "parallel_write_safe": True}
