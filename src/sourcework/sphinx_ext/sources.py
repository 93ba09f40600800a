"""Roles and directives over the corpus: quotations, figures, paragraph references and source pages.

Every check (verbatim, label, paragraph, figure id) is done by ``core.corpus``; this module only turns the answers
into docutils nodes or located warnings.
"""

from __future__ import annotations

import os
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..core import law as lawcore
from ..core.corpus import Corpus, Figure
from . import adapted, state

logger = logging.getLogger(__name__)
_REF = re.compile(r"^\s*([A-Za-z])\s*(?:¶\s*)?(\d+)\s*$")
FIX_REF = "Write the source label and paragraph number, e.g. `B 6` (see the Source reader for the numbers)."


def corpus_of(env: Any) -> Corpus:
    return state.corpus_of(env.app)


def parse_ref(text: str) -> tuple[str, int] | None:
    """'B 6' or 'B¶6' → ('B', 6)."""
    match = _REF.match(text)
    return (match.group(1).upper(), int(match.group(2))) if match else None


def para_xref(corpus: Corpus, label: str, number: int, text: str) -> addnodes.pending_xref:
    """A link to a source paragraph, resolved by Sphinx's std domain (the source page registers the label)."""
    ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=corpus.sources[label].anchor(number),
                                refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text, classes=["sw-paragraph-ref"])
    return ref


class _LocatedRole(SphinxRole):
    """Base role: ``fail`` emits a located warning and an inline error node instead of a traceback."""

    def fail(self, message: str, fix: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        logger.warning(f"{message} Fix: {fix}", location=self.get_location(), type="sourcework", subtype="source")
        return [nodes.problematic(self.rawtext, self.rawtext)], []


class QuoteRole(_LocatedRole):
    """``{sq}`B 6|exact words``` → “exact words” (Source B ¶6), checked verbatim."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        ref, _, words = self.text.partition("|")
        parsed = parse_ref(ref)
        if not parsed or not words.strip():
            return self.fail(f"quotation {self.text!r} must read 'LABEL N|exact words'.", FIX_REF)
        corpus = corpus_of(self.env)
        problem = corpus.check_quote(*parsed, words)
        if problem:
            return self.fail(f"{problem}.", "Copy the words exactly from the paragraph in sources/.")
        label, number = parsed
        quote = nodes.inline("", "", classes=["sw-quote"])
        quote += nodes.Text(f"“{words.strip()}” (")
        quote += para_xref(corpus, label, number, f"Source {label} ¶{number}")
        quote += nodes.Text(")")
        return [quote], []


class ParaRole(_LocatedRole):
    """``{para}`B 4``` → a link reading “Source B ¶4”."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        parsed = parse_ref(self.text)
        if not parsed:
            return self.fail(f"paragraph reference {self.text!r} is not 'LABEL N'.", FIX_REF)
        problem = corpus_of(self.env).check_paragraph(*parsed)
        if problem:
            return self.fail(f"{problem}.", FIX_REF)
        label, number = parsed
        return [para_xref(corpus_of(self.env), label, number, f"Source {label} ¶{number}")], []


class SourceRole(_LocatedRole):
    """``{source}`B``` → a link reading “Source B” to the source's page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        label = self.text.strip().upper()
        corpus = corpus_of(self.env)
        if label not in corpus.sources:
            return self.fail(f"unknown source label {self.text!r}.", f"Use one of {', '.join(sorted(corpus.sources))}.")
        ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=corpus.sources[label].page_anchor,
                                    refexplicit=True, refwarn=True)
        ref += nodes.inline(f"Source {label}", f"Source {label}", classes=["sw-source-ref"])
        return [ref], []


class FigureRole(_LocatedRole):
    """``{fig}`d-vetted-cases``` → the number as figures.yml displays it, linked to its paragraph."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        corpus = corpus_of(self.env)
        figure: Figure | None = corpus.figures.get(self.text.strip())
        if figure is None:
            close = [fid for fid in corpus.figures if self.text.strip().split("-")[0] in fid][:5]
            return self.fail(f"figure id {self.text.strip()!r} is not in sources/figures.yml.",
                             "Use an id from sources/figures.yml" + (f", e.g. {', '.join(close)}." if close else "."))
        lang = adapted.text_lang(self.env)
        display = figure.display_in(lang)
        if not display:
            return self.fail(f"figure {figure.id!r} has no display_es, so this Spanish text would show its English "
                             f"display {figure.display!r}.", "Add display_es to that figure in sources/figures.yml "
                             "(ARCHITECTURE.md, Formats: figures).")
        wrapper = nodes.inline("", "", classes=["sw-figure"])
        if figure.external:
            ref = nodes.reference(display, display, refuri=figure.url)
            ref["reftitle"] = f"{figure.counts} ({figure.period}); {figure.url}"
        else:
            ref = para_xref(corpus, figure.source, figure.paragraph, display)
            ref["reftitle"] = f"{figure.counts} ({figure.period}); Source {figure.source} ¶{figure.paragraph}"
        wrapper += ref
        return [wrapper], []


class law_rule(nodes.inline):  # noqa: N801 (docutils node classes are lower case)
    """A ``{law}`` use: HTML writes ``<span class="sw-law" data-sw-law="id">``; other writers, its text."""


def _visit_law_html(self: Any, node: law_rule) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<span class="{classes}" data-sw-law="{self.attval(node["law_id"])}">')


def _depart_law_html(self: Any, node: law_rule) -> None:
    self.body.append("</span>")


def _visit_law_other(self: Any, node: law_rule) -> None:
    pass


def note_law_dependency(env: Any) -> None:
    """Re-read the page when sources/law.yml changes (an incremental build would otherwise keep the old words)."""
    env.note_dependency(os.path.join(env.srcdir, lawcore.LAW_FILE))


class _LawUseRole(_LocatedRole):
    """A role whose text names a use of sources/law.yml (``{law}`` or ``{asof}``), checked as items check it."""

    def checked_use(self, name: str) -> tuple[Any, Any, Any]:
        """(law, use, None) for a valid use, or (law, None, the located failure)."""
        law = corpus_of(self.env).law
        note_law_dependency(self.env)
        use, problem = lawcore.parse_use(name, self.text)
        problem = problem or lawcore.check_use(use, law)  # type: ignore[arg-type]
        if problem or use is None:
            return law, None, self.fail(f"{problem}.", lawcore.fix_for(problem))
        return law, use, None


class LawRole(_LawUseRole):
    """``{law}`id``` → the rule, then (citation; as of Month YYYY); ``{law}`id|cite``` → citation (as of …).

    The words come from ``core.law.rule_parts`` (the same as in items); the citation links to the rule's address.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        law, use, failed = self.checked_use("law")
        if failed is not None:
            return failed
        rule = law.rules[use.id]
        before, citation, after = lawcore.rule_parts(rule, use.form)
        node = law_rule("", classes=["sw-law"] + (["sw-law-cite"] if use.form == "cite" else []), law_id=rule.id)
        if before:
            node += nodes.Text(before)
        node += nodes.reference(citation, citation, refuri=rule.url)
        node += nodes.Text(after)
        return [node], []


class AsOfRole(_LawUseRole):
    """``{asof}``` → the module's as-of date from sources/law.yml, e.g. “December 6, 2026”."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        law, use, failed = self.checked_use("asof")
        if failed is not None:
            return failed
        return [nodes.inline("", lawcore.render_use(use, law), classes=["sw-asof"])], []


_EMPTY_ASOF = re.compile(r"(?<!``)\{asof\}``(?!`)")  # not when shown as code: ``{asof}`` ``


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """MyST cannot parse a role with nothing between its backticks, so ``{asof}``` is read as ``{asof}`now```
    (line numbers unchanged; the syntax shown as inline code is left alone)."""
    if "{asof}``" in source[0]:
        source[0] = _EMPTY_ASOF.sub("{asof}`now`", source[0])


class _LocatedDirective(SphinxDirective):
    def fail(self, message: str, fix: str) -> list[nodes.Node]:
        logger.warning(f"{message} Fix: {fix}", location=self.get_location(), type="sourcework", subtype="source")
        return []


class SourceQuoteDirective(_LocatedDirective):
    """```{source-quote} B 6 — a block quotation (body = the exact words) with a linked attribution."""

    required_arguments = 1
    optional_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        parsed = parse_ref(" ".join(self.arguments))
        if not parsed:
            return self.fail(f"source-quote argument {' '.join(self.arguments)!r} is not 'LABEL N'.", FIX_REF)
        words = "\n".join(self.content)
        corpus = corpus_of(self.env)
        problem = corpus.check_quote(*parsed, words)
        if problem:
            return self.fail(f"{problem}.", "Copy the words exactly from the paragraph in sources/.")
        label, number = parsed
        quote = nodes.block_quote(classes=["sw-block-quote"])
        quote += nodes.paragraph(words, words.strip())
        attribution = nodes.attribution()
        source = corpus.sources[label]
        attribution += nodes.Text(f"{source.meta['publisher']}, ")
        attribution += para_xref(corpus, label, number, f"Source {label} ¶{number}")
        quote += attribution
        return [quote]


def _field_list(rows: list[tuple[str, nodes.Node | str]]) -> nodes.field_list:
    fields = nodes.field_list(classes=["sw-provenance-fields"])
    for name, value in rows:
        body = nodes.paragraph()
        body += value if isinstance(value, nodes.Node) else nodes.Text(value)
        fields += nodes.field("", nodes.field_name(name, name), nodes.field_body("", body))
    return fields


class SourceDocumentDirective(_LocatedDirective):
    """```{source-document} B — the provenance card and every reproduced paragraph, each with a stable anchor."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        corpus = corpus_of(self.env)
        label = self.arguments[0].strip().upper()
        if label not in corpus.sources:
            return self.fail(f"unknown source label {label!r}.", f"Use one of {', '.join(sorted(corpus.sources))}.")
        source = corpus.sources[label]
        meta = source.meta
        std = self.env.domains["std"]
        # The page's title section usually holds this id already ("# Source B" makes "source-b"), and an id may
        # be used once in a page: the card takes it only when the title does not.
        taken = source.page_anchor in self.state.document.ids
        card = nodes.container(classes=["sw-provenance"], ids=[] if taken else [source.page_anchor])
        std.note_hyperlink_target(source.page_anchor, self.env.docname, source.page_anchor, f"Source {label}")
        card += nodes.rubric(text=f"Provenance card: Source {label}")
        link = nodes.reference(meta["url"], meta["url"], refuri=meta["url"])
        card += _field_list([
            ("Title", str(meta["title"])), ("Publisher (who)", str(meta["publisher"])),
            ("Date (when)", str(meta["date"])), ("How the date was established", str(meta["date_note"])),
            ("Genre", str(meta["genre"])), ("Audience", str(meta.get("audience", "not stated"))),
            ("Purpose", str(meta.get("purpose", "not stated"))), ("Reuse", str(meta["reuse_note"])),
            ("Original", link)])
        result: list[nodes.Node] = [card]
        if meta["reuse"] == "excerpts":
            note = nodes.paragraph(classes=["sw-excerpt-note"])
            omitted = any(block.kind == "omission" for block in source.blocks)
            note += nodes.Text("Copyrighted text, reproduced for commentary and teaching: only the paragraphs this "
                               "module analyses appear here" + (", and omitted passages are marked […]. " if omitted
                                                                else " (it analyses every paragraph of this one). ")
                               + "Read the original at the address above.")
            result.append(note)
        body = nodes.container(classes=["sw-source-text", f"sw-source-{label.lower()}"])
        for block in source.blocks:
            if block.kind == "heading":
                body += nodes.rubric(text=block.text, classes=["sw-source-heading"])
            elif block.kind == "omission":
                body += nodes.paragraph("[…]", "[…]", classes=["sw-omission"])
            else:
                anchor = source.anchor(block.number)
                para = nodes.paragraph(classes=["sw-para"], ids=[anchor])
                std.note_hyperlink_target(anchor, self.env.docname, anchor, f"Source {label} ¶{block.number}")
                mark = nodes.reference("", f"¶{block.number}", refid=anchor, classes=["sw-para-number"])
                mark["reftitle"] = f"Link to Source {label} ¶{block.number}"
                para += mark
                para += nodes.Text(" ")
                para += nodes.inline(block.text, block.text, classes=["sw-para-text"])
                body += para
        result.append(body)
        return adapted.version_nodes(self, label, result, meta)


class SourceOverviewDirective(_LocatedDirective):
    """```{source-overview} — the five sources side by side (publisher, genre, date, audience, purpose)."""

    columns = ("Source", "Publisher", "Genre", "Date", "Audience", "Purpose")

    def run(self) -> list[nodes.Node]:
        corpus = corpus_of(self.env)
        table = nodes.table(classes=["sw-overview"])
        group = nodes.tgroup(cols=len(self.columns))
        table += group
        for _ in self.columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        head += nodes.row("", *[nodes.entry("", nodes.paragraph(text=c)) for c in self.columns])
        group += head
        body = nodes.tbody()
        for label in sorted(corpus.sources):
            meta = corpus.sources[label].meta
            first = nodes.paragraph()
            ref = addnodes.pending_xref("", refdomain="std", reftype="ref", refexplicit=True, refwarn=True,
                                        reftarget=corpus.sources[label].page_anchor)
            ref += nodes.inline(text=f"Source {label}")
            first += ref
            cells = [first] + [nodes.paragraph(text=str(meta.get(k, "not stated")))
                               for k in ("publisher", "genre", "date", "audience", "purpose")]
            body += nodes.row("", *[nodes.entry("", cell) for cell in cells])
        group += body
        return [table]


def setup_sources(app: Sphinx) -> None:
    app.add_role("sq", QuoteRole())
    app.add_role("para", ParaRole())
    app.add_role("source", SourceRole())
    app.add_role("fig", FigureRole())
    app.add_role("law", LawRole())
    app.add_role("asof", AsOfRole())
    app.add_node(law_rule, html=(_visit_law_html, _depart_law_html), latex=(_visit_law_other, _visit_law_other),
                 text=(_visit_law_other, _visit_law_other), man=(_visit_law_other, _visit_law_other),
                 texinfo=(_visit_law_other, _visit_law_other))
    app.connect("source-read", on_source_read)
    app.add_directive("source-quote", SourceQuoteDirective)
    app.add_directive("source-document", SourceDocumentDirective)
    app.add_directive("source-overview", SourceOverviewDirective)
    adapted.setup_adapted(app)

