"""Interface languages, source versions and Listen, in the browser: switched by keyboard, remembered, announced;
axe and HTML_CodeSniffer find nothing in either language on a source page, a chapter and an exercise page of every
edition; nothing is fetched (``open_page`` fails a test on any request elsewhere or any console error).

The pages come from the book under test: with ``SW_BROWSER_BOOK=tests/books/browser`` the fixture book, which has
an adapted Source B (English and Spanish), a chapter with a Spanish summary and the bilingual glossary. A test
whose page the book lacks (the module before its adapted texts exist) is skipped, saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EDITIONS, describe_htmlcs, describe_violations, format_violations, run_axe, run_htmlcs
from swpage import BOTH_VOICES, ENGLISH_VOICE, speech_stub

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SPANISH = "localStorage.setItem('sourcework:lang', 'es');"


def find(edition, needle: str) -> str:
    for path in edition.pages():
        if needle in path.read_text("utf-8", errors="replace"):
            return edition.rel(path)
    pytest.skip(f"no page of the {edition.name} edition has {needle!r} (the book has no such page yet)")


def source_page(edition) -> str:
    return find(edition, 'class="sw-versions')


def chapter_page(edition) -> str:
    return find(edition, 'class="sw-summary-es')


def exercise_page(edition) -> str:
    return edition.rel(edition.exercise_pages()[0])


def keyboard_choose(page, selector: str) -> None:
    page.focus(selector)
    page.keyboard.press("Enter")
    # A language's words arrive on demand (sw-i18n.js): wait until the page is shown in it.
    page.wait_for_function("() => !('swLangPending' in document.documentElement.dataset)", timeout=10000)


# ------------------------------------------------------------------------------------------ the language switch


def test_language_switch_by_keyboard_redraws_at_once_and_is_remembered(editions, open_page):
    edition = editions["practice"]
    opened = open_page(edition, exercise_page(edition))
    page = opened.page
    statuses = page.locator('[role="status"]').count()
    first = "section.sw-item >> nth=0"
    check = page.locator(f'{first} >> button[data-sw-action="check"]')
    assert check.inner_text() == "Check"
    check.focus()
    page.keyboard.press("Enter")
    assert "Not answered yet" in page.inner_text(f"{first} >> .sw-feedback")
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="es"]')
    assert page.get_attribute('.sw-lang-button[data-sw-lang="es"]', "aria-pressed") == "true"
    assert check.inner_text() == "Revisar" and check.get_attribute("lang") == "es"
    assert "Todavía sin responder" in page.inner_text(f"{first} >> .sw-feedback")  # redrawn, not only on reload
    assert page.locator(f'{first} >> .sw-feedback p[lang="es"]').count() == 1
    assert "pregunta" in page.inner_text(".sw-set-summary")
    assert "Descargar mis respuestas" in page.inner_text(".sw-set")
    assert page.inner_text(".sw-lang-status") == "Los controles ahora están en español."
    # Every announcement region and every label is still there, in Spanish.
    assert page.locator('[role="status"]').count() == statuses
    assert page.inner_text('.sw-set label[for$="-name"]') == "Nombre"
    # An item's source labels are links to the source pages; the words around them follow the language too.
    meta = page.locator("section.sw-item .sw-item-meta").filter(has=page.locator("a.sw-source-link")).first
    if meta.count():
        assert "Fuente" in meta.inner_text() and "Source" not in meta.inner_text()
    # The scorer's sentence (English in the Python grader) is rewritten from the score's counts.
    select = 'section.sw-item[data-sw-type="select"]'
    if page.locator(select).count():
        page.locator(f"{select} >> input[type=checkbox]").first.check()
        page.locator(f'{select} >> button[data-sw-action="check"]').click()
        assert "Opciones correctas elegidas (" in page.inner_text(f"{select} >> .sw-feedback")
    opened.reload()
    assert page.locator(f'{first} >> button[data-sw-action="check"]').inner_text() == "Revisar"
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="en"]')
    assert page.locator(f'{first} >> button[data-sw-action="check"]').inner_text() == "Check"
    assert page.locator(f'{first} >> button[data-sw-action="check"]').get_attribute("lang") is None
    assert "questions" in page.inner_text(".sw-set-summary") or "question," in page.inner_text(".sw-set-summary")


def test_an_english_page_loads_no_spanish_and_a_failed_load_is_said_and_can_be_retried(editions, open_page):
    """An English reader's page loads only the English words of its own scripts; the catalogs and the rewriter come
    when Spanish is chosen. If they cannot be loaded the page stays in English, says so in both languages, and the
    next press tries again."""
    edition = editions["practice"]
    opened = open_page(edition, exercise_page(edition), expect_errors=True)  # one load fails on purpose
    page = opened.page
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url.rsplit("/", 1)[-1].split("?")[0]))
    loaded = page.evaluate("() => [...document.scripts].map(s => s.src.split('/').pop().split('?')[0])")
    assert "sw-i18n.js" in loaded
    assert "sw-messages.js" not in loaded and "sw-i18n-rewrite.js" not in loaded
    # Its English words arrived with its scripts: a word only the widget asks for, and none of Listen's.
    assert page.evaluate("() => SourceworkMessages.en['result.correct']") == "Correct"
    assert page.evaluate("() => Object.keys(SourceworkMessages.en).some(k => k.startsWith('listen.'))") is False
    assert page.evaluate("() => 'es' in SourceworkMessages") is False
    page.route("**/sw-messages.js*", lambda route: route.abort())
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="es"]')
    check = page.locator('section.sw-item >> nth=0 >> button[data-sw-action="check"]')
    assert check.inner_text() == "Check"
    assert page.get_attribute('.sw-lang-button[data-sw-lang="en"]', "aria-pressed") == "true"
    status = page.inner_text(".sw-lang-status")
    assert "could not be loaded" in status and "No se pudieron cargar" in status
    # Shown as well as announced, and its Spanish half is marked as Spanish (a screen reader changes voice).
    assert page.locator(".sw-lang-status").is_visible()
    assert page.locator(".sw-lang-status").bounding_box()["width"] > 100
    assert "No se pudieron cargar" in page.inner_text('.sw-lang-status span[lang="es"]')
    assert page.evaluate("() => SourceworkI18n.lang()") == "en"
    page.unroute("**/sw-messages.js*")
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="es"]')
    assert check.inner_text() == "Revisar"
    assert page.locator(".sw-lang-status").bounding_box()["width"] <= 1  # read out only, again
    assert asked.count("sw-i18n-rewrite.js") == 1 and asked.count("sw-messages.js") == 2  # the failed try, then one
    # Back to English and to Spanish again: nothing more is fetched.
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="en"]')
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="es"]')
    assert check.inner_text() == "Revisar"
    assert asked.count("sw-i18n-rewrite.js") == 1 and asked.count("sw-messages.js") == 2
    # No script error; the only complaints are the browser's own about the load that was blocked.
    assert not opened.errors and all("sw-messages.js" in line for line in opened.console + opened.failed), \
        opened.problems()


def test_a_remembered_spanish_choice_is_applied_after_every_script_started(editions, open_page):
    """A reader whose Spanish is remembered gets the words on demand and the whole page is rewritten: the assessment
    edition's set summary (written by the rewriter from sw-main.js's settings), the buttons and the switch. (That the
    rewrite waits for every script's start-up is not forced here: the words arrive after DOMContentLoaded anyway.)"""
    edition = editions["assessment"]
    opened = open_page(edition, exercise_page(edition), init_script=SPANISH)
    page = opened.page
    summary = page.inner_text(".sw-set-summary")
    assert "descárgalas para entregarlas" in summary and "pregunta" in summary, summary
    assert page.locator('section.sw-item >> nth=0 >> button[type="submit"]').get_attribute("lang") == "es"
    assert page.get_attribute('.sw-lang-button[data-sw-lang="es"]', "aria-pressed") == "true"
    assert page.evaluate("() => SourceworkI18n.lang()") == "es"


def test_progress_page_follows_the_language(editions, open_page):
    edition = editions["practice"]
    opened = open_page(edition, find(edition, 'class="sw-progress"'), init_script=SPANISH)
    page = opened.page
    assert "Tu progreso en este navegador" in page.inner_text(".sw-progress")
    assert page.inner_text('button[data-sw-action="clear"]') == "Borrar mi progreso"
    keyboard_choose(page, '.sw-lang-button[data-sw-lang="en"]')
    assert "Your progress in this browser" in page.inner_text(".sw-progress")


# ------------------------------------------------------------------------------------------ the version switch


def test_version_switch_by_keyboard_is_remembered_and_side_by_side_on_wide_screens(editions, open_page):
    edition = editions["practice"]
    rel = source_page(edition)
    opened = open_page(edition, rel)
    page = opened.page
    box = page.locator(".sw-versions")
    assert box.get_attribute("data-sw-view") == "original"
    assert page.locator(".sw-version-switch").is_visible()
    assert page.locator(".sw-version-original").is_visible()
    assert not page.locator(".sw-version-adapted").first.is_visible()
    page.focus('.sw-version-switch input[value="original"]')
    page.keyboard.press("ArrowRight")
    assert box.get_attribute("data-sw-view") == "en"
    english = page.locator('.sw-version-adapted[lang="en"]')
    assert english.is_visible() and page.locator(".sw-version-original").is_visible()  # 1280 px: two columns
    left, right = page.locator(".sw-version-original").bounding_box(), english.bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1, "the adapted version stands beside the original"
    assert "Adapted" in english.inner_text() and english.locator("dl.sw-word-bank-list").count() == 1
    page.keyboard.press("ArrowRight")
    assert box.get_attribute("data-sw-view") == "es"
    assert page.locator('.sw-version-adapted[lang="es"]').is_visible() and not english.is_visible()
    assert "Adaptado" in page.inner_text('.sw-version-adapted[lang="es"]')
    opened.reload()
    assert page.locator(".sw-versions").get_attribute("data-sw-view") == "es"
    assert page.is_checked('.sw-version-switch input[value="es"]')


def test_narrow_screen_shows_the_chosen_version_and_original_paragraph_links_show_the_original(editions, open_page):
    edition = editions["practice"]
    rel = source_page(edition)
    label = rel.rsplit("source-", 1)[-1][0]
    opened = open_page(edition, rel, viewport={"width": 700, "height": 900},
                       init_script="localStorage.setItem('sourcework:version', 'en');")
    page = opened.page
    assert page.locator('.sw-version-adapted[lang="en"]').is_visible()
    assert not page.locator(".sw-version-original").is_visible()
    link = page.locator('.sw-version-adapted[lang="en"] .sw-from-link').first
    target = link.get_attribute("href")
    assert target.startswith(f"#source-{label}-p")
    link.click()
    page.wait_for_function("() => document.querySelector('.sw-versions').dataset.swAnchor === 'original'")
    expect(page.locator(target)).to_be_in_viewport()
    # A reader arriving from a chapter's {para} link sees the original paragraph too.
    page.goto((edition.html / rel).as_uri() + target)
    page.wait_for_function("() => document.querySelector('.sw-versions').dataset.swAnchor === 'original'")
    assert page.locator(target).is_visible()
    # Choosing a version again drops the extra original.
    page.focus('.sw-version-switch input[value="en"]')
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert not page.locator(".sw-version-original").is_visible()
    # The same "from ¶" link again: the address does not change (no hashchange), and the original still shows.
    assert page.evaluate("location.hash") == target
    link.click()
    page.wait_for_function("() => document.querySelector('.sw-versions').dataset.swAnchor === 'original'")
    expect(page.locator(target)).to_be_in_viewport()


def test_without_scripts_every_version_shows_original_first(editions, browser):
    edition = editions["practice"]
    rel = source_page(edition)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((edition.html / rel).as_uri())
        versions = page.locator(".sw-version")
        assert versions.count() >= 2 and all(versions.nth(i).is_visible() for i in range(versions.count()))
        assert "sw-version-original" in versions.first.get_attribute("class")
        assert not page.locator(".sw-version-switch").is_visible()
    finally:
        context.close()


# -------------------------------------------------------------------------------------------------- read aloud


def test_listen_is_hidden_without_a_voice(editions, open_page):
    edition = editions["practice"]
    for rel in (chapter_page(edition), source_page(edition)):
        page = open_page(edition, rel, init_script=speech_stub("[]")).page
        assert page.locator(".sw-listen").count() > 0
        assert page.locator(".sw-listen:visible").count() == 0


def test_listen_speaks_with_the_texts_language_rate_and_pauses(editions, open_page):
    edition = editions["practice"]
    page = open_page(edition, chapter_page(edition), init_script=speech_stub(ENGLISH_VOICE)).page
    # The Spanish summary has no Spanish voice here, so its control stays hidden; the English sections have one.
    assert not page.locator(".sw-summary-es .sw-listen").is_visible()
    group = page.locator("section > .sw-listen").first
    assert group.is_visible()
    heading = page.locator("section > h2").first.inner_text().replace("#", "").strip()
    group.locator("select").select_option("1.25")
    start = group.locator(".sw-listen-start")
    assert start.get_attribute("aria-label") == f"Listen: {heading}"
    start.focus()
    page.keyboard.press("Enter")
    calls = page.evaluate("window.__speech")
    spoken = [c for c in calls if c["what"] == "speak"]
    assert spoken and spoken[0]["text"].startswith(heading)
    assert {c["lang"] for c in spoken} == {"en-US"} and {c["rate"] for c in spoken} == {1.25}
    assert not any("Speed" in c["text"] or "Pause" in c["text"] for c in spoken)  # not the controls' words
    assert group.locator('[role="status"]').inner_text() == "Reading aloud."
    pause = group.locator(".sw-listen-pause")
    pause.click()
    assert pause.inner_text() == "Resume" and page.evaluate("window.__speech.at(-1).what") == "pause"
    pause.click()
    assert pause.inner_text() == "Pause" and page.evaluate("window.__speech.at(-1).what") == "resume"
    group.locator(".sw-listen-stop").click()
    assert page.evaluate("window.__speech.at(-1).what") == "cancel" and not pause.is_visible()


def test_listen_reads_the_spanish_version_with_a_spanish_voice(editions, open_page):
    edition = editions["practice"]
    page = open_page(edition, source_page(edition), init_script=speech_stub(BOTH_VOICES)
                     + "localStorage.setItem('sourcework:version', 'es');" + SPANISH).page
    group = page.locator('.sw-version-adapted[lang="es"] .sw-listen')
    assert group.is_visible() and group.locator(".sw-listen-start").inner_text() == "Escuchar"
    group.locator(".sw-listen-start").click()
    spoken = [c for c in page.evaluate("window.__speech") if c["what"] == "speak"]
    assert spoken and {c["lang"] for c in spoken} == {"es-MX"} and spoken[0]["text"].startswith("Adaptado")


# -------------------------------------------------------------------------------------- accessibility, 2 languages


@pytest.mark.parametrize("name", EDITIONS)
def test_new_controls_have_no_violation_in_either_language(name, editions, open_page, axe_source, htmlcs_source):
    edition = editions[name]
    candidates = (_maybe(source_page, edition), _maybe(chapter_page, edition), exercise_page(edition))
    pages = [rel for rel in candidates if rel]
    problems, htmlcs = [], []
    for lang in ("en", "es"):
        for rel in pages:
            for version in (("original", "en", "es") if "sw-versions" in _text(edition, rel) else ("original",)):
                script = speech_stub(BOTH_VOICES) + f"localStorage.setItem('sourcework:lang', '{lang}');" \
                    f"localStorage.setItem('sourcework:version', '{version}');"
                opened = open_page(edition, rel, init_script=script)
                where = f"{name}/{rel} ({lang}, {version})"
                problems += describe_violations(where, run_axe(opened.page, axe_source))
                htmlcs += describe_htmlcs(where, run_htmlcs(opened.page, htmlcs_source))
                opened.context.close()
    assert not (problems or htmlcs), format_violations(problems + htmlcs)


def _text(edition, rel: str) -> str:
    return Path(edition.html / rel).read_text("utf-8")


def _maybe(function, edition) -> str:
    try:
        return function(edition)
    except pytest.skip.Exception:
        return ""
