"""B2 page weight: the exercise JS and CSS one page loads, against jupyterquiz for the same ten questions.

Both sides are built in the same run by the project's own ``jb build`` into one small book (a copy of
``tests/books/browser``):

- ours: ``exercises/bench-weight.md``, ten ``choice`` items. Counted on open: every ``<script src>`` and every
  ``<link rel="stylesheet">`` (whatever its ``media``, print included: a browser fetches it anyway) of the page that
  names a file of ours in ``_static`` (any file of ``src/sourcework/static``, the theme diet's join of several,
  ``sw-css-*.css``, or the interface words the build writes from ``static/messages/``, ``sw-messages.js``: they
  were in the scripts before the interface had two languages, as jupyterquiz's are in its script), read from the
  build as shipped;
  plus one ``<script type="application/json" class="sw-data">`` per item (data). Counted apart, on demand: the
  files a script of ours loads on first use (its ``data-sw-lazy``): ``sw-main.js`` for Download my answers / Load
  answers, ``sw-i18n.js`` for a reader who chooses Spanish (the whole catalogs and the page rewriter).
- jupyterquiz (pinned below, the quiz package for Jupyter Book most used today): a notebook page whose one code cell
  calls ``display_quiz`` with the same ten questions, executed in a throwaway venv (jupyterquiz is never a project
  dependency) and rendered by MyST-NB like any notebook output: its CSS arrives in a ``<style>`` inside the cell's
  HTML output, its JS (with the questions as a JSON literal) in a ``<script>`` from the JavaScript output. A second
  page calls ``display_quiz`` once per question, as many books do (one quiz after each section).

Code bytes exclude question data on both sides (our ``sw-data`` JSON; jupyterquiz's ``var questions…=[…]``), and
totals include it. gzip sizes are what a web server would send; from file:// the raw bytes are read.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FIXTURE_BOOK, WORK, jb_build, table  # noqa: E402

from sourcework.sphinx_ext.assets import STATIC  # noqa: E402
from sourcework.sphinx_ext.messages import SCRIPT as MESSAGES  # noqa: E402

OURS = {path.name for path in STATIC.iterdir() if path.suffix in (".js", ".css")} | {MESSAGES}

JUPYTERQUIZ = "jupyterquiz==2.9.6.4"
JQ_VENV = WORK / "jupyterquiz-venv"
GOAL = 1 / 3

QUESTIONS = [
    ("Who published Source A?", ["ICE's Enforcement and Removal Operations", "An independent newspaper",
                                 "The National Immigrant Justice Center", "A Salvadoran court"]),
    ("What kind of document is Source C?", ["An advocacy blog post", "A press release", "A court ruling",
                                            "A news wire report"]),
    ("What does SAFE stand for?", ["Security Alliance for Fugitive Enforcement", "Safe Alliance for Families",
                                   "Secure Agency File Exchange", "State Aid for Enforcement"]),
    ("Which agency runs SAFE?", ["ICE", "The FBI", "Interpol", "The State Department"]),
    ("When did the first SAFE workshop take place?", ["December 2019", "January 2012", "March 2021", "June 2018"]),
    ("Which source is an aggregator article?", ["Source E", "Source A", "Source B", "Source D"]),
    ("What is a press release written to do?", ["Present the publisher's work", "Report independently",
                                                "Rule on a case", "Review a book"]),
    ("What does corroboration mean?", ["Checking a claim against other sources", "Quoting one source",
                                       "Dating a source", "Summarising a source"]),
    ("What is lateral reading?", ["Leaving a source to check who is behind it", "Reading slowly",
                                  "Reading only headlines", "Reading the comments"]),
    ("Which question is about sourcing?", ["Who wrote this, and why?", "What happened first?",
                                           "What is the rate?", "Which word frames it?"]),
]


def our_items() -> str:
    out = ["# Ten questions (sourcework)\n", "```{exercise-set}\nid: bench-weight\ntitle: Ten questions\n"
           "chapter: book/index\n```\n"]
    for n, (stem, options) in enumerate(QUESTIONS, 1):
        opts = "".join(f"  - id: o{k}\n    text: {json.dumps(text)}\n    feedback: {json.dumps(feedback(k))}\n"
                       for k, text in enumerate(options))
        out.append(f"```{{item}}\nid: bench-weight.q{n}\ntype: choice\nskill: sourcing\nsources: [A]\n"
                   f"stem: {json.dumps(stem)}\noptions:\n{opts}key: o0\n"
                   "explanation: The answer follows from the source's own words.\n```\n")
    return "\n".join(out)


def feedback(k: int) -> str:
    return "Yes: the source says so." if k == 0 else "No: read the source's first paragraph again."


def jq_questions() -> list[dict]:
    return [{"question": stem, "type": "multiple_choice",
             "answers": [{"answer": text, "correct": k == 0, "feedback": feedback(k)} for k, text in enumerate(opts)]}
            for stem, opts in QUESTIONS]


def ensure_jupyterquiz() -> Path:
    python = JQ_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(JQ_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import jupyterquiz, nbclient, ipykernel"], capture_output=True)
    if probe.returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", JUPYTERQUIZ, "ipykernel", "nbclient", "nbformat"],
                       check=True)
    return python


EXECUTE = """
import json, sys, nbformat
from nbclient import NotebookClient
questions = json.loads(open(sys.argv[1]).read())
for name, calls in (("jupyterquiz", [questions]), ("jupyterquiz-each", [[q] for q in questions])):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Ten questions (" + name + ")"),
                nbformat.v4.new_code_cell("from jupyterquiz import display_quiz\\nimport json\\n"
                                          "questions = json.loads(" + repr(json.dumps(questions)) + ")")]
    for n, call in enumerate(calls):
        nb.cells.append(nbformat.v4.new_code_cell(
            "display_quiz(" + ("questions" if len(calls) == 1 else f"questions[{n}:{n + 1}]") + ")"))
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nbformat.write(nb, sys.argv[2] + "/" + name + ".ipynb")
"""


def build_book() -> Path:
    book = WORK / "weight-book"
    shutil.rmtree(book, ignore_errors=True)
    shutil.copytree(FIXTURE_BOOK, book)
    (book / "exercises" / "bench-weight.md").write_text(our_items(), "utf-8")
    python = ensure_jupyterquiz()
    (WORK / "questions.json").write_text(json.dumps(jq_questions()), "utf-8")
    subprocess.run([str(python), "-c", EXECUTE, str(WORK / "questions.json"), str(book / "book")], check=True,
                   capture_output=True)
    config = (book / "_config.yml").read_text("utf-8").replace("execute_notebooks: cache", "execute_notebooks: 'off'")
    (book / "_config.yml").write_text(config, "utf-8")
    toc = (book / "_toc.yml").read_text("utf-8").replace(
        "      - file: exercises/fixture\n",
        "      - file: exercises/fixture\n      - file: exercises/bench-weight\n"
        "      - file: book/jupyterquiz\n      - file: book/jupyterquiz-each\n")
    (book / "_toc.yml").write_text(toc, "utf-8")
    out = WORK / "weight-build"
    shutil.rmtree(out, ignore_errors=True)
    jb_build(book, out)
    return out / "_build" / "html"


def sizes(chunks: list[bytes]) -> tuple[int, int]:
    data = b"".join(chunks)
    return len(data), len(gzip.compress(data, 9)) if data else 0


def ours(html: Path) -> dict:
    page = html / "exercises" / "bench-weight.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    files, names, lazy_files, lazy_names = [], [], [], []
    for tag in soup.find_all(["script", "link"]):
        ref = tag.get("src") or (tag.get("href") if "stylesheet" in (tag.get("rel") or []) else None)
        path = (page.parent / ref.split("?")[0]).resolve() if ref else None
        if path is None or path.parent.name != "_static" or not (path.name in OURS or path.name.startswith("sw-css-")):
            continue
        files.append(path.read_bytes())
        media = f" (media {tag.get('media')})" if tag.get("media") else ""
        names.append(f"{path.name}{media} {len(files[-1]):,} ({sizes([files[-1]])[1]:,} gzip)")
        # Loaded on first use (sw-main.js, sw-i18n.js): a script's data-sw-lazy names them relative to itself.
        for file in json.loads(tag.get("data-sw-lazy") or "{}").values():
            lazy_files.append((path.parent / file.split("?")[0]).read_bytes())
            lazy_names.append(f"{file.split('?')[0]} {len(lazy_files[-1]):,} ({sizes([lazy_files[-1]])[1]:,} gzip)")
    assert any(name.startswith("sw-main.js") for name in names), f"sw-main.js is not on {page}"
    data = [s.string.encode() for s in soup.select("script.sw-data")]
    assert len(data) == len(QUESTIONS), f"expected {len(QUESTIONS)} items on {page}, found {len(data)}"
    return {"code": sizes(files), "data": sizes(data), "total": sizes(files + data), "files": names,
            "lazy": sizes(lazy_files), "lazy_files": lazy_names}


def jupyterquiz(html: Path, name: str) -> dict:
    page = html / "book" / f"{name}.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    code, data = [], []
    for output in soup.select(".cell_output"):
        for tag in output.find_all(["style", "script"]):
            text = tag.string or ""
            if tag.name == "script":
                found = re.search(r"var questions\w+=(\[.*?\])(?=\s*[;\n]|[a-z])", text, re.S)
                if found:
                    data.append(found.group(1).encode())
                    text = text.replace(found.group(1), "")
            code.append(text.encode())
    assert code, f"no jupyterquiz output found on {page}"
    return {"code": sizes(code), "data": sizes(data), "total": sizes(code + data)}


def run() -> tuple[str, dict]:
    html = build_book()
    us, jq, jq_each = ours(html), jupyterquiz(html, "jupyterquiz"), jupyterquiz(html, "jupyterquiz-each")
    rows = []
    for label, m in (("sourcework (10 items, one page)", us), ("jupyterquiz, one display_quiz of 10", jq),
                     ("jupyterquiz, 10 display_quiz calls", jq_each)):
        rows.append([label, f"{m['code'][0]:,}", f"{m['code'][1]:,}", f"{m['data'][0]:,}", f"{m['total'][0]:,}",
                     f"{m['total'][1]:,}"])
    rows.append(["sourcework, fetched on demand (Download / Load answers; Spanish)", f"{us['lazy'][0]:,}",
                 f"{us['lazy'][1]:,}", "", "", ""])
    ratio = us["code"][0] / jq["code"][0]
    ratio_total = us["total"][0] / jq["total"][0]
    budget = int(jq["code"][0] * GOAL)
    verdict = "met" if ratio <= GOAL else f"NOT met: {us['code'][0] - budget:,} bytes over the budget of {budget:,}"
    text = table(["page", "JS+CSS bytes", "JS+CSS gzip", "question data bytes", "total bytes", "total gzip"], rows)
    text += (f"\n\nOn open, our exercise JS+CSS is **{ratio:.2f}×** jupyterquiz's for the same ten questions on one "
             f"page ({ratio_total:.2f}× counting question data; gzip {us['code'][1] / jq['code'][1]:.2f}×); goal ≤ "
             f"{GOAL:.2f}× of the raw bytes: **{verdict}**. With the on-demand files as well: "
             f"{(us['code'][0] + us['lazy'][0]) / jq['code'][0]:.2f}×. ({JUPYTERQUIZ}, executed in a throwaway venv.)"
             f"\n\nOur files on open, bytes as shipped: {'; '.join(us['files'])}. On demand: "
             f"{'; '.join(us['lazy_files']) or 'none'}.")
    return text, {"ratio": ratio, "ratio_total": ratio_total, "ours": us, "jupyterquiz": jq, "each": jq_each}


if __name__ == "__main__":
    print(run()[0])
