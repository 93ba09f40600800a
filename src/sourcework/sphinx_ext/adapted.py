"""Adapted versions on the source pages, the Spanish summaries, the bilingual glossary and the original-needed table.

``version_nodes`` is called by ``{source-document}``: when ``sources/adapted/<x>.<lang>.md`` exist for the source,
the page holds the original and each adapted version in ``div.sw-versions`` (original first), with a version switch
(a radio group; the chosen version is shown by ``EARLY_VIEW`` as the page is read, a later change by
``sw-versions.js``; the theme hides the switch when scripts are off (``pst-js-only``), and then every version shows,
one after another).
Everything is checked by ``core.adapted`` when the corpus loads; this module only builds nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..core.adapted import Adapted
from ..core.render import json_for_script
from . import state
from .messages import msg

logger = logging.getLogger(__name__)
GLOSARIO = "book/glosario"  # the bilingual glossary's page
# Labels of an adapted version, in the version's own language (the text's language, not the interface's).
WORDS = {
    "en": {"adapted": "Adapted", "about": "About this source", "note": "The original", "bank": "Word bank",
           "from": "from", "title": "Title", "publisher": "Publisher", "date": "Date", "address": "Address",
           "reuse": "Reuse", "cut": "Part of the original is left out here.",
           "intro": "A shorter text in plain English. Words in quotation marks are the original's own words."},
    "es": {"adapted": "Adaptado", "about": "Sobre esta fuente", "note": "El original", "bank": "Banco de palabras",
           "from": "del original", "title": "Título", "publisher": "Quién lo publicó", "date": "Fecha",
           "address": "Dirección", "reuse": "Uso", "cut": "Aquí se omite una parte del original.",
           "intro": "Un texto más corto en español sencillo. Las palabras entre comillas inglesas (\u201c \u201d) "
                    "son las palabras originales, en inglés; la traducción entre comillas latinas (« ») es nuestra."},
}
TEXT_LANG = "sw_text_lang"  # env.temp_data key: the language of the text being parsed ("es" inside Spanish texts)


def text_lang(env: Any) -> str:
    """The language of the text now being parsed: "es" while a Spanish adapted text or summary is parsed, else "en"."""
    return str(env.temp_data.get(TEXT_LANG, "en"))


@contextmanager
def parsing_lang(env: Any, lang: str) -> Iterator[None]:
    """Parse nested text as ``lang``: ``{fig}`` then renders that language's display."""
    before = env.temp_data.get(TEXT_LANG)
    env.temp_data[TEXT_LANG] = lang
    try:
        yield
    finally:
        if before is None:
            env.temp_data.pop(TEXT_LANG, None)
        else:
            env.temp_data[TEXT_LANG] = before


def _raw(html: str) -> nodes.raw:
    return nodes.raw("", html, format="html")


def _span(numbers: tuple[int, ...]) -> str:
    """(3, 4, 5) → '¶3–5'; (1, 3) → '¶1, ¶3'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"¶{r[0]}" if len(r) == 1 else f"¶{r[0]}–{r[-1]}" for r in runs)


def switch_html(label: str, langs: list[str]) -> str:
    """The version switch: a radio group, in the page from the start (so nothing moves when sw-versions.js wires it),
    hidden by the theme when scripts are off (``pst-js-only``: no dead control)."""
    name = f"sw-version-{label.lower()}"
    # "Original" follows the interface language; each adapted version is named in its own language, always.
    choices = [("original", f'<span data-sw-msg="version.original">{msg("version.original")}</span>', "")]
    choices += [(lang, msg(f"version.{lang}", lang), f' lang="{lang}"') for lang in langs]
    html = [f'<fieldset class="sw-version-switch pst-js-only"><legend data-sw-msg="version.legend">'
            f'{msg("version.legend")}</legend>']
    for value, words, lang in choices:
        checked = ' checked=""' if value == "original" else ""
        html.append(f'<label class="sw-version-choice"{lang}><input type="radio" name="{name}" value="{value}"'
                    f'{checked}> {words}</label>')
    html.append("</fieldset>")
    return "".join(html)


# Run by the browser as it reads the page, right after the switch and before any version is drawn: the version the
# reader chose last ("sourcework:version" in localStorage; the original when it is not on this page) is checked and
# shown from the first paint, and so is the original when the address names it or anything in it (ORIGINAL_IDS: a
# link from an item or a {para} role), so a reader of an adapted version does not see the page drawn and then
# changed (a layout shift of 0.36 on a desktop and 0.53 on a phone, 0.92 for a link to an original paragraph,
# measured before this). sw-versions.js handles a later change and links followed on the page. Without scripts
# nothing runs, and every version shows. It is written into the doctree: after changing it, raise env_version
# (sphinx_ext/__init__.py), or an existing build keeps the old lines.
EARLY_VIEW = (
    "<script>(function(box,original){var view,hash,radios=box.querySelectorAll('.sw-version-switch input'),"
    "chosen=radios[0],i;"
    "try{view=localStorage.getItem('sourcework:version')}catch(e){}"
    "try{hash=decodeURIComponent(location.hash.slice(1))}catch(e){}"
    "for(i=0;i<radios.length;i++)if(radios[i].value===view)chosen=radios[i];"
    "if(chosen){chosen.checked=true;box.dataset.swView=chosen.value;box.classList.add('sw-js');"
    "if(chosen.value!=='original'&&original.indexOf(hash)>=0)box.dataset.swAnchor='original'}"
    "})(document.currentScript.parentNode,ORIGINAL_IDS)</script>"
)


def early_view(original: nodes.Element) -> str:
    """``EARLY_VIEW`` for a box whose original version is ``original`` (its ids and every id inside it)."""
    ids = [i for node in original.findall(nodes.Element) for i in node["ids"]]
    return EARLY_VIEW.replace("ORIGINAL_IDS", json_for_script(ids))


def adapted_nodes(directive: SphinxDirective, adapted: Adapted, meta: dict[str, Any]) -> nodes.container:
    """One adapted version: title, head note, the original's source note, word bank, paragraphs, cuts."""
    words = WORDS[adapted.lang]
    std = directive.env.domains["std"]
    box = nodes.container(classes=["sw-version", "sw-version-adapted", f"language-{adapted.lang}"],
                          ids=[f"source-{adapted.label.lower()}-{adapted.lang}"])
    box["sw_version"] = adapted.lang
    title = nodes.rubric(classes=["sw-version-title"])
    title += nodes.inline(words["adapted"], words["adapted"], classes=["sw-adapted-badge"])
    title += nodes.Text(f": {adapted.title}")
    box += title
    box += nodes.paragraph(words["intro"], words["intro"], classes=["sw-adapted-intro"])
    head = nodes.paragraph(classes=["sw-head-note"])
    head += nodes.strong(words["about"] + ": ", words["about"] + ": ")
    head += nodes.Text(adapted.head_note)
    box += head
    note = nodes.container(classes=["sw-source-note"])
    note += nodes.paragraph(classes=["sw-source-note-title"], text=words["note"])
    fields = nodes.field_list(classes=["sw-provenance-fields"])
    url = str(meta["url"])
    rows: list[tuple[str, nodes.Node]] = [
        (words["title"], nodes.inline("", str(meta["title"]), classes=["language-en"])),
        (words["publisher"], nodes.inline("", str(meta["publisher"]), classes=["language-en"])),
        (words["date"], nodes.Text(str(meta["date"]))),
        (words["address"], nodes.reference(url, url, refuri=url)),
        (words["reuse"], nodes.inline("", str(meta["reuse_note"]), classes=["language-en"])),
    ]
    for name, value in rows:
        body = nodes.paragraph()
        body += value
        fields += nodes.field("", nodes.field_name(name, name), nodes.field_body("", body))
    note += fields
    box += note
    bank = nodes.container(classes=["sw-word-bank"])
    bank += nodes.paragraph(classes=["sw-word-bank-title"], text=words["bank"])
    terms = nodes.definition_list(classes=["sw-word-bank-list"])
    for term, meaning in adapted.word_bank:
        terms += nodes.definition_list_item("", nodes.term(term, term),
                                            nodes.definition("", nodes.paragraph(meaning, meaning)))
    bank += terms
    box += bank
    text = nodes.container(classes=["sw-adapted-text"])
    for block in adapted.blocks:
        if block.paragraph is None:
            cut = nodes.paragraph(classes=["sw-omission"])
            cut += nodes.inline("[…]", "[…]", classes=["sw-cut-mark"])
            cut += nodes.inline(words["cut"], words["cut"], classes=["sw-visually-hidden"])
            text += cut
            continue
        para = block.paragraph
        anchor = adapted.anchor(para.number)
        paragraph = nodes.paragraph(classes=["sw-para", "sw-adapted-para"], ids=[anchor])
        std.note_hyperlink_target(anchor, directive.env.docname, anchor,
                                  f"Source {adapted.label} ({adapted.lang}) ¶{para.number}")
        with parsing_lang(directive.env, adapted.lang):
            inline, messages = directive.state.inline_text(para.text, directive.lineno)
        paragraph += inline
        paragraph += messages
        paragraph += nodes.Text(" ")
        origin = nodes.inline("", "", classes=["sw-adapted-from"])
        origin += nodes.Text("(")
        target = f"source-{adapted.label.lower()}-p{para.originals[0]}"
        link = nodes.reference("", f"{words['from']} {_span(para.originals)}", refid=target,
                               classes=["sw-from-link"])
        link["reftitle"] = f"Source {adapted.label} {_span(para.originals)}"
        origin += link
        origin += nodes.Text(")")
        paragraph += origin
        text += paragraph
    box += text
    return box


def version_nodes(directive: SphinxDirective, label: str, original: list[nodes.Node],
                  meta: dict[str, Any]) -> list[nodes.Node]:
    """The original's nodes alone, or, when adapted versions exist, all versions in ``div.sw-versions``."""
    corpus = state.corpus_of(directive.env.app)
    versions = corpus.adapted.get(label, {})
    for lang in versions:
        directive.env.note_dependency(str(corpus.root / versions[lang].path))
    if not versions:
        return original
    langs: list[str] = [lang for lang in ("en", "es") if lang in versions]
    outer = nodes.container(classes=["sw-versions", f"sw-versions-{label.lower()}"])
    first = nodes.container(classes=["sw-version", "sw-version-original"], ids=[f"source-{label.lower()}-original"])
    title = nodes.rubric(classes=["sw-version-title"])
    title += nodes.inline("", msg("version.original"), classes=["sw-original-badge"])
    title += nodes.Text(f": {meta['title']}")
    first += title
    first.extend(original)
    outer += _raw(switch_html(label, langs) + early_view(first))
    outer += first
    for lang in langs:
        outer += adapted_nodes(directive, versions[lang], meta)
    return [outer]


class SummaryEsDirective(SphinxDirective):
    """```{summary-es} — a chapter's short Spanish summary: a labelled box with lang="es" and a glossary link."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["sw-summary-es", "language-es"])
        box += nodes.paragraph(classes=["sw-summary-es-title"], text="Resumen en español")
        with parsing_lang(self.env, "es"):
            box.extend(self.parse_content_to_nodes())
        if GLOSARIO in self.env.found_docs:
            para = nodes.paragraph(classes=["sw-summary-es-glossary"])
            para += nodes.Text("Palabras clave en inglés y en español: ")
            ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + GLOSARIO,
                                        refexplicit=True, refwarn=True, refdoc=self.env.docname)
            ref += nodes.inline("", "glosario bilingüe")
            para += ref
            para += nodes.Text(".")
            box += para
        return [box]


class BilingualGlossaryDirective(SphinxDirective):
    """```{bilingual-glossary} — sources/glossary-es.yml as a table: English term (linked to its entry in the
    glossary), Spanish term, a short Spanish definition."""

    def run(self) -> list[nodes.Node]:
        corpus = state.corpus_of(self.env.app)
        self.env.note_dependency(str(corpus.root / "sources" / "glossary-es.yml"))
        intro = [nodes.paragraph(text="Each term of the module's glossary that has a Spanish entry below: the English "
                                      "term (a link to its full English definition), the Spanish term and a short "
                                      "definition in Spanish.", classes=["language-en"]),
                 nodes.paragraph(text="Cada término en inglés lleva a su definición completa en el glosario en "
                                      "inglés. Al lado están el término en español y una definición corta.",
                                 classes=["language-es"])]
        if not corpus.glossary_es:
            return [*intro, nodes.paragraph(text="No entries yet (sources/glossary-es.yml).")]
        table = nodes.table(classes=["sw-bilingual-glossary"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (2, 2, 5):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        heads = [("English term", "language-en"), ("Término en español", "language-es"), ("Definición", "language-es")]
        head += nodes.row("", *[nodes.entry("", nodes.paragraph(text=t, classes=[c])) for t, c in heads])
        group += head
        body = nodes.tbody()
        for entry in sorted(corpus.glossary_es, key=lambda e: e.en.casefold()):
            ref = addnodes.pending_xref("", refdomain="std", reftype="term", reftarget=entry.en, refexplicit=True,
                                        refwarn=True, refdoc=self.env.docname)
            ref += nodes.inline("", entry.en)
            first = nodes.paragraph(classes=["language-en"])
            first += ref
            cells = [first, nodes.paragraph(text=entry.es, classes=["language-es"]),
                     nodes.paragraph(text=entry.definition, classes=["language-es"])]
            body += nodes.row("", *[nodes.entry("", cell) for cell in cells])
        group += body
        return [*intro, table]


class OriginalNeededDirective(SphinxDirective):
    """```{original-needed} — the items that need the original words: every mark item, and every item with
    ``needs_original: true``."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for item_set in state.sets_of(self.env.app):
            for item in item_set.items:
                if item.type == "mark" or item.needs_original:
                    why = ("mark item: the student marks the original's words" if item.type == "mark"
                           else "reads the original closely (needs_original)")
                    rows.append((item.id, item.type, ", ".join(item.sources), why))
        if not rows:
            return [nodes.paragraph(text="No item needs the original words.")]
        table = nodes.table(classes=["sw-original-needed"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (3, 1, 1, 4):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += nodes.row("", *[nodes.entry("", nodes.paragraph(text=t))
                                for t in ("Item", "Type", "Sources", "Why it needs the original")])
        group += head
        body = nodes.tbody()
        for row in rows:
            body += nodes.row("", *[nodes.entry("", nodes.paragraph(text=t)) for t in row])
        group += body
        return [table]


def setup_adapted(app: Any) -> None:
    app.add_directive("summary-es", SummaryEsDirective)
    app.add_directive("bilingual-glossary", BilingualGlossaryDirective)
    app.add_directive("original-needed", OriginalNeededDirective)
