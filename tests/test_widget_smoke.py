"""The item widgets in a real browser: one item of each type, answered with the keyboard, from file://.

Builds a standalone page from core.render (practice edition) with the package's static JS and CSS beside it (as
written, then minified as a build ships them), and drives Debian Chromium through Playwright: Check states the result
in words in the role=status region, answers survive a reload, damaged storage is set aside with a notice, a browser
without storage still works, and the submission file round-trips through Download / Load answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sample_items import ALL_ITEMS, SAMPLE_SET

from sourcework.core.model import content_hash
from sourcework.core.render import item_anchor, render_item, render_progress_page, render_set_toolbar
from sourcework.sphinx_ext.assets import MAIN_JS, page_assets, write_static

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HASH = content_hash([SAMPLE_SET])

if not CHROMIUM.exists():
    pytest.skip("Debian Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")


def _page(body: str, title: str, edition: str = "practice", lazy: str = "") -> str:
    """A page loading exactly the files a build gives a page with this body (sphinx_ext.assets.page_assets)."""
    stylesheets, scripts = page_assets(body)
    settings = f' data-content-hash="{HASH}" data-book-title="Smoke book" data-edition="{edition}"'
    if lazy:
        settings += f" data-sw-lazy='{lazy}'"
    tags = "\n".join(f'<script src="static/{name}"{settings if name == MAIN_JS else ""}></script>' for name in scripts)
    links = "\n".join(f'<link rel="stylesheet" href="static/{name}">' for name in stylesheets)
    # Scripts in <head>, as Sphinx places them: sw-main.js must wait for the DOM itself.
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n'
            f"{links}\n{tags}\n</head>\n"
            f"<body><main><h1>{title}</h1>\n{body}</main></body></html>\n")


@pytest.fixture(scope="module", params=["readable", "minified"])
def site(tmp_path_factory, request) -> Path:
    """The pages, with the scripts as written and, second, as a build ships them (minified): the minifier must not
    change what a student sees (rjsmin once stripped the space from a template literal nested in another)."""
    root = tmp_path_factory.mktemp("smoke")
    # As written (sourcework_minify_assets: false) or minified; either way with each script's English words at its
    # head and the catalogs as a script for Spanish, as a build writes them (sphinx_ext/messages.py).
    write_static(root / "static", minified=request.param == "minified")
    items = "".join(render_item(item, "practice", number=n) for n, item in enumerate(ALL_ITEMS, 1))
    (root / "set.html").write_text(_page(render_set_toolbar(SAMPLE_SET, "practice") + items, "Sample set"), "utf-8")
    progress = render_progress_page([{"id": SAMPLE_SET.id, "title": SAMPLE_SET.title, "url": "set.html",
                                      "possible": sum(i.points for i in ALL_ITEMS),
                                      "items": [i.id for i in ALL_ITEMS]}])
    (root / "progress.html").write_text(_page(progress, "My progress"), "utf-8")
    items = "".join(render_item(item, "assessment", number=n) for n, item in enumerate(ALL_ITEMS, 1))
    page = _page(render_set_toolbar(SAMPLE_SET, "assessment") + items, "Sample test", "assessment")
    (root / "assessment.html").write_text(page, "utf-8")
    broken = _page(render_set_toolbar(SAMPLE_SET, "practice") + items, "Missing file", lazy='{"submission": "gone.js"}')
    (root / "missing-lazy.html").write_text(broken, "utf-8")
    return root


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium  # the session's one Chromium (tests/conftest.py)


@pytest.fixture
def page(browser, site):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((site / "set.html").as_uri())
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_function("document.documentElement.dataset.swReady === '1'")  # sw-main.js's ready signal
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sel(item_id: str, css: str = "") -> str:
    return f"#{item_anchor(item_id)} {css}".strip()


def press(page, selector: str, key: str = "Enter") -> None:
    page.focus(selector)
    page.keyboard.press(key)


def feedback(page, item_id: str) -> str:
    return page.inner_text(sel(item_id, ".sw-feedback"))


def answer_everything(page) -> None:
    """Answer each item with the keyboard only (focus + keys), as a keyboard user would."""
    press(page, sel("sample.genre", 'input[value="press"]'), "ArrowDown")  # arrow keys move to "news": wrong
    press(page, sel("sample.nijc-claims", 'input[value="errors"]'), "Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "pilot": both keyed options
    for row, cols in (("pilot", "AC"), ("mexico", "D"), ("errors", "C")):
        for col in cols:
            press(page, sel("sample.who-says", f'tr[data-sw-row="{row}"] input[value="{col}"]'), "Space")
    for span in ("fugitives", "justice"):  # two of the three keyed phrases
        press(page, sel("sample.framing", f'.sw-span[data-sw-span="{span}"]'))
    page.focus(sel("sample.rate", "input.sw-number"))
    page.keyboard.type("2.05%")
    page.keyboard.press("Enter")  # Enter in the field submits the form: Check
    # Shown as interpol, pilot, workshop, award (a stable shuffle that is never the key's order).
    up = sel("sample.timeline", 'li[data-sw-event="interpol"] button[data-sw-move="up"]')
    down = sel("sample.timeline", 'li[data-sw-event="interpol"] button[data-sw-move="down"]')
    press(page, down)
    assert page.evaluate("document.activeElement.closest('li').dataset.swEvent") == "interpol"
    page.keyboard.press("Enter")  # focus stayed on the moved button, so Enter moves it again
    press(page, up)  # and back: pilot, interpol, workshop, award
    assert page.evaluate("document.activeElement.closest('li').dataset.swEvent") == "interpol"
    assert page.evaluate("document.activeElement.dataset.swMove") == "up"
    press(page, sel("sample.claim-evidence", '[data-sw-part="a"] input[value="small"]'), "Space")
    press(page, sel("sample.claim-evidence", '[data-sw-part="b"] input[value="honor"]'), "Space")
    page.focus(sel("sample.compare", "textarea"))
    page.keyboard.type("ICE calls them 'fugitives who are evading us'; NIJC calls them asylum seekers.")
    press(page, sel("sample.compare", 'input[value="2"][name$="claim"]'), "Space")
    press(page, sel("sample.compare", 'input[value="1"][name$="evidence"]'), "Space")


EXPECTED = {
    "sample.genre": ("Incorrect", "0 of 1 point"),
    "sample.nijc-claims": ("Correct", "2 of 2 points"),
    "sample.who-says": ("Correct", "1 of 1 point"),
    "sample.framing": ("Partly correct", "0.67 of 1 point"),
    "sample.rate": ("Correct", "1 of 1 point"),
    "sample.timeline": ("Correct", "1 of 1 point"),
    "sample.claim-evidence": ("Partly correct", "1 of 2 points"),
    "sample.compare": ("Saved for your teacher", "self-rating: 3 of 4 points"),
}


def check_all(page) -> None:
    for item_id, (word, points) in EXPECTED.items():
        if item_id != "sample.rate":  # already checked by Enter in its field
            press(page, sel(item_id, 'button[data-sw-action="check"]'))
        text = feedback(page, item_id)
        assert text.startswith(("✓", "✗", "◐", "✎")), text  # an icon, then the words
        assert word in text and points in text, f"{item_id}: {text!r}"


def test_keyboard_answers_check_and_restore(page):
    for item in ALL_ITEMS:
        assert feedback(page, item.id) == ""
    answer_everything(page)
    check_all(page)
    assert "Incorrect" not in feedback(page, "sample.framing")  # "Partly correct" is not "Incorrect"
    assert "You chose “An independent news report”" in feedback(page, "sample.genre")
    assert "Score so far: 6.67 of 13 points" in page.inner_text(".sw-set-score")
    assert page.get_attribute(sel("sample.genre"), "data-sw-result") == "incorrect"

    page.reload()
    assert page.is_checked(sel("sample.genre", 'input[value="news"]'))
    assert page.is_checked(sel("sample.nijc-claims", 'input[value="pilot"]'))
    assert page.is_checked(sel("sample.who-says", 'tr[data-sw-row="pilot"] input[value="C"]'))
    assert page.get_attribute(sel("sample.framing", '[data-sw-span="justice"]'), "aria-pressed") == "true"
    assert page.input_value(sel("sample.rate", "input")) == "2.05%"
    order = page.eval_on_selector_all(sel("sample.timeline", "li"), "els => els.map(e => e.dataset.swEvent)")
    assert order == ["pilot", "interpol", "workshop", "award"]
    assert page.is_checked(sel("sample.claim-evidence", 'input[value="honor"]'))
    assert "fugitives who are evading us" in page.input_value(sel("sample.compare", "textarea"))
    assert page.is_checked(sel("sample.compare", 'input[value="1"][name$="evidence"]'))
    assert "6.67 of 13 points" in page.inner_text(".sw-set-score")  # saved scores survive too


def test_try_again_and_show_answer(page):
    press(page, sel("sample.genre", 'input[value="press"]'), "ArrowDown")
    press(page, sel("sample.genre", 'button[data-sw-action="check"]'))
    assert "Incorrect" in feedback(page, "sample.genre")
    press(page, sel("sample.genre", 'button[data-sw-action="reset"]'))
    assert feedback(page, "sample.genre") == ""
    assert page.evaluate("document.activeElement.type") == "radio"  # back at the answer
    press(page, sel("sample.genre", 'button[data-sw-action="show"]'))
    marked = page.inner_text(sel("sample.genre", '.sw-option[data-sw-option="press"]'))
    assert "✓ Correct answer" in marked
    assert "✓ Correct answer" not in page.inner_text(sel("sample.genre", '.sw-option[data-sw-option="news"]'))
    press(page, sel("sample.rate", 'button[data-sw-action="show"]'))
    assert "The answer is 2.05 percent" in feedback(page, "sample.rate")


def test_unanswered_check_says_so(page):
    press(page, sel("sample.genre", 'button[data-sw-action="check"]'))
    assert "Not answered yet" in feedback(page, "sample.genre")
    # An order item's first arrangement is not an answer until Check (or a move) makes it one.
    assert page.evaluate("typeof SourceworkSubmission") == "undefined"  # loaded on first use, not with the page
    answers = page.evaluate("async () => (await Sourcework.need('submission')).build(Sourcework.transfer).answers")
    assert "sample.timeline" not in answers
    press(page, sel("sample.timeline", 'button[data-sw-action="check"]'))
    assert "Partly correct: 0.83 of 1 point" in feedback(page, "sample.timeline")  # 5 of 6 pairs as shown


def test_corrupt_storage_is_set_aside_with_a_notice(page):
    answer_everything(page)
    key = lambda item_id: f"sourcework:{HASH}:practice:{item_id}"  # noqa: E731
    page.evaluate("([k1, k2]) => { localStorage.setItem(k1, '{not json'); localStorage.setItem(k2, '[1, 2]'); }",
                  [key("sample.genre"), key("sample.nijc-claims")])
    page.evaluate("(k) => localStorage.setItem(k, JSON.stringify({response: 42, itemHash: 'x', savedAt: 'y'}))",
                  key("sample.rate"))
    page.reload()
    assert "could not be read" in feedback(page, "sample.genre")
    assert "could not be read" in feedback(page, "sample.nijc-claims")
    assert "changed since" in feedback(page, "sample.rate")  # a record of another version of the item
    assert not page.is_checked(sel("sample.genre", 'input[value="news"]'))
    assert page.get_attribute(sel("sample.framing", '[data-sw-span="justice"]'), "aria-pressed") == "true"
    press(page, sel("sample.genre", 'input[value="press"]'), "Space")
    press(page, sel("sample.genre", 'button[data-sw-action="check"]'))
    assert "Correct" in feedback(page, "sample.genre")


def test_works_without_storage(browser, site):
    context = browser.new_context()
    context.add_init_script("Storage.prototype.setItem = function () { throw new Error('denied'); };")
    page = context.new_page()
    page.goto((site / "set.html").as_uri())
    page.wait_for_function("document.querySelector('.sw-notice') && document.querySelector('.sw-notice').textContent")
    assert "does not let the page save" in page.inner_text(".sw-notice")
    assert page.locator(".sw-notice").count() == 1
    press(page, sel("sample.nijc-claims", 'input[value="errors"]'), "Space")
    press(page, sel("sample.nijc-claims", 'button[data-sw-action="check"]'))
    assert "Partly correct" in feedback(page, "sample.nijc-claims")
    assert page.locator(".sw-notice").count() == 1  # said once, not per answer
    context.close()


def download_answers(page, path: Path) -> Path:
    """Answer every item, type a name and id, press Download my answers and save the file at ``path``."""
    answer_everything(page)
    page.fill(".sw-student-name", "Ana Ruiz")
    page.fill(".sw-student-id", "S-1024")
    with page.expect_download() as info:
        press(page, '.sw-set button[data-sw-action="download"]')
    info.value.save_as(path)
    return path


def test_download_and_load_answers(page, tmp_path):
    path = download_answers(page, tmp_path / "answers.json")
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == "sourcework-submission/1" and data["content_hash"] == HASH
    assert data["book"] == "Smoke book" and data["edition"] == "practice"
    assert data["student"] == {"name": "Ana Ruiz", "id": "S-1024"}
    assert data["answers"]["sample.rate"] == "2.05%" and data["answers"]["sample.genre"] == "news"
    assert data["item_hashes"]["sample.genre"] == ALL_ITEMS[0].content_hash()
    assert set(data["answers"]) == {item.id for item in ALL_ITEMS}
    assert "Downloaded" in page.inner_text(".sw-transfer-status")

    page.evaluate("localStorage.clear()")
    page.reload()
    assert not page.is_checked(sel("sample.genre", 'input[value="news"]'))
    data["answers"]["sample.ghost"] = "a"
    data["answers"]["sample.genre"] = ["not", "a", "choice"]
    path.write_text(json.dumps(data), "utf-8")
    with page.expect_file_chooser() as chooser:
        press(page, '.sw-set button[data-sw-action="load"]')
    chooser.value.set_files(str(path))
    status = page.locator(".sw-transfer-status")
    status.filter(has_text="restored").wait_for()
    text = status.inner_text()
    assert "restored 8 answers" in text and "sample.genre (the answer does not fit the question)" in text
    assert page.input_value(sel("sample.rate", "input")) == "2.05%"
    assert page.input_value(".sw-student-name") == "Ana Ruiz"

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else/1", "answers": {}}', "utf-8")
    with page.expect_file_chooser() as chooser:
        press(page, '.sw-set button[data-sw-action="load"]')
    chooser.value.set_files(str(bad))
    page.locator(".sw-transfer-status").filter(has_text="not a Sourcework answers file").wait_for()


def test_answers_file_tool_that_fails_to_load_says_so(browser, site):
    """sw-submission.js is loaded on first use; if that fails, the toolbar's status region says so, and a second
    press tries again."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((site / "missing-lazy.html").as_uri())
    page.wait_for_function("document.documentElement.dataset.swReady === '1'")
    with page.expect_event("requestfailed"):  # the warm-up when the toolbar first gets focus fails quietly
        page.focus(".sw-set .sw-student-name")
    page.wait_for_function("!document.querySelector('script[src*=\"gone.js\"]')")  # the loader has given up
    assert page.inner_text(".sw-transfer-status") == ""
    for _ in range(2):
        with page.expect_event("requestfailed"):  # each press tries again
            press(page, '.sw-set button[data-sw-action="download"]')
        page.locator(".sw-transfer-status").filter(has_text="could not be loaded").wait_for()
        page.evaluate("document.querySelector('.sw-transfer-status').textContent = ''")
    assert page.get_attribute(".sw-transfer-status", "role") == "status"
    assert sum(url.endswith("/static/gone.js") for url in failed) == 3, failed
    assert page.evaluate("typeof SourceworkSubmission") == "undefined"
    # Load answers opens the file chooser inside the press, before (here: without) the tool's code: browsers open it
    # only from the press itself. The chosen file then meets the same message, which says nothing is lost.
    with page.expect_file_chooser() as chooser:
        press(page, '.sw-set button[data-sw-action="load"]')
    with page.expect_event("requestfailed"):
        chooser.value.set_files(str(site / "set.html"))
    status = page.locator(".sw-transfer-status").filter(has_text="could not be loaded")
    status.wait_for()
    assert "still saved in this browser" in status.inner_text()
    context.close()


def test_answers_file_tool_loads_when_the_toolbar_gets_focus(browser, site):
    """Heading for the toolbar fetches sw-submission.js, so the press usually finds it ready."""
    page = browser.new_page()
    page.goto((site / "set.html").as_uri())
    page.wait_for_function("document.documentElement.dataset.swReady === '1'")
    assert page.evaluate("typeof SourceworkSubmission") == "undefined"
    page.focus(".sw-set .sw-student-name")
    page.wait_for_function("typeof SourceworkSubmission === 'object'")
    page.close()


def test_pages_load_only_what_they_need(site):
    """The set page loads each of its item types and no submission code; the progress page no item type."""
    set_page = (site / "set.html").read_text("utf-8")
    for item in ALL_ITEMS:
        assert f'src="static/sw-type-{item.type}.js"' in set_page
    assert "sw-submission.js" not in set_page and "sw-progress.js" not in set_page
    progress = (site / "progress.html").read_text("utf-8")
    assert "sw-type-" not in progress and 'src="static/sw-progress.js"' in progress


def test_progress_page_table_and_clear(page, site):
    answer_everything(page)
    check_all(page)
    page.goto((site / "progress.html").as_uri())
    table = page.inner_text(".sw-progress table")
    assert "8 of 8" in table and "6.67 of 13 points" in table
    assert page.locator(".sw-progress-fallback").count() == 0
    page.once("dialog", lambda dialog: dialog.dismiss())
    press(page, 'button[data-sw-action="clear"]')
    assert "Nothing was cleared" in page.inner_text(".sw-transfer-status")
    page.once("dialog", lambda dialog: dialog.accept())
    press(page, 'button[data-sw-action="clear"]')
    assert "cleared" in page.inner_text(".sw-transfer-status")
    assert "0 of 8" in page.inner_text(".sw-progress table")


def test_assessment_edition_saves_without_checking(page, site):
    page.goto((site / "assessment.html").as_uri())
    assert page.locator('button[data-sw-action="check"]').count() == 0
    press(page, sel("sample.genre", 'input[value="press"]'), "Space")
    press(page, sel("sample.genre", 'button[data-sw-action="save"]'))
    text = feedback(page, "sample.genre")
    assert "Saved" in text and "Correct" not in text
    press(page, sel("sample.who-says", 'tr[data-sw-row="errors"] input[value="C"]'), "Space")
    page.reload()
    assert page.is_checked(sel("sample.genre", 'input[value="press"]'))
    assert page.is_checked(sel("sample.who-says", 'tr[data-sw-row="errors"] input[value="C"]'))
    # No name yet: asked for it, focus on the field (by sw-submission.js, so once it has loaded: waited for).
    press(page, '.sw-set button[data-sw-action="download"]')
    page.locator(".sw-transfer-status").filter(has_text="Type your name and student ID").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('sw-student-name')")
    page.keyboard.type("Ana Ruiz")
    press(page, '.sw-set button[data-sw-action="download"]')
    page.wait_for_function("document.activeElement.classList.contains('sw-student-id')")  # the next missing field
    page.keyboard.type("S-1024")
    with page.expect_download() as info:
        press(page, '.sw-set button[data-sw-action="download"]')
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert data["edition"] == "assessment" and data["student"] == {"name": "Ana Ruiz", "id": "S-1024"}
    assert data["answers"] == {"sample.genre": "press", "sample.who-says": {"errors": ["C"]}}


def _axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make browser-deps)")
def test_axe_finds_no_violations(page, site):
    assert _axe(page) == []
    answer_everything(page)
    check_all(page)
    press(page, sel("sample.who-says", 'button[data-sw-action="show"]'))
    press(page, sel("sample.framing", 'button[data-sw-action="show"]'))
    assert _axe(page) == []
    for name in ("assessment.html", "progress.html"):
        page.goto((site / name).as_uri())
        assert _axe(page) == [], name


def test_practice_answers_stay_out_of_the_assessment_edition(page, site, tmp_path):
    """Practice answers are checked against the key; they must not reappear in, or be loaded into, an assessment."""
    practice_file = download_answers(page, tmp_path / "practice.json")
    page.goto((site / "assessment.html").as_uri())
    assert not page.is_checked(sel("sample.genre", 'input[value="news"]'))  # same browser, separate answers
    with page.expect_file_chooser() as chooser:
        press(page, '.sw-set button[data-sw-action="load"]')
    chooser.value.set_files(str(practice_file))
    status = page.locator(".sw-transfer-status")
    status.filter(has_text="Nothing was loaded").wait_for()
    assert "saved from the practice edition" in status.inner_text()
    assert not page.is_checked(sel("sample.genre", 'input[value="news"]'))
