"""The committed esbuild copies of the scripts (``src/sourcework/static/min``, written by ``make minify``).

A build ships them without Node; these tests keep them honest: each must have been made from the readable script as
it is now, by the esbuild pinned in package.json (installed by ``npm ci`` under ``make test``), and a stale copy is
never shipped: the build falls back to rjsmin and warns. The scoring vectors (tests/test_vectors.py) and the widget
smoke tests (tests/test_widget_smoke.py) run on the shipped copies.
"""

from __future__ import annotations

import json
import shutil

import pytest

from sourcework.sphinx_ext.assets import (
    BUNDLES,
    ESBUILD,
    MIN_DIR,
    STATIC,
    bundle,
    minify,
    stale_minified,
    write_minified,
    write_static,
)
from sourcework.sphinx_ext.messages import split_words


def test_every_committed_copy_is_of_the_current_script():
    assert stale_minified() == [], "a script changed after its minified copy was made: run `make minify`"
    shipped = sorted(p.name for p in STATIC.glob("*.js"))
    assert sorted(p.name for p in (STATIC / MIN_DIR).glob("*.js")) == shipped


@pytest.mark.skipif(not ESBUILD.exists(), reason="esbuild is not installed (npm ci)")
def test_committed_copies_are_what_the_pinned_esbuild_makes(tmp_path):
    pinned = json.loads((ESBUILD.parents[2] / "package.json").read_text("utf-8"))["devDependencies"]["esbuild"]
    write_minified(ESBUILD, target=tmp_path)
    made = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert made["made_by"].startswith(f"esbuild {pinned} ")
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (STATIC / MIN_DIR / path.name).read_bytes(), f"run `make minify`: {path.name}"


def test_a_stale_copy_falls_back_to_rjsmin_with_a_warning(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    core = static / "sw-core.js"
    core.write_text(core.read_text("utf-8") + "\n// changed\n", "utf-8")
    assert stale_minified(static) == ["sw-core.js"]
    text = core.read_text("utf-8")
    assert minify("sw-core.js", text, static) != (STATIC / MIN_DIR / "sw-core.js").read_text("utf-8")
    assert "@ts-check" not in minify("sw-core.js", text, static)
    warnings: list[str] = []
    write_static(tmp_path / "out", minified=True, warn=warnings.append, static=static)
    assert len(warnings) == 1 and "sw-core.js" in warnings[0] and "make minify" in warnings[0]
    shipped = split_words((tmp_path / "out" / "sw-main.js").read_text("utf-8"))[1]  # after its English words
    assert shipped == (STATIC / MIN_DIR / "sw-main.js").read_text("utf-8")


@pytest.mark.skipif(not ESBUILD.exists(), reason="esbuild is not installed (npm ci)")
@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_committed_bundles_are_what_the_pinned_esbuild_makes(name):
    """static/sw-zip.js is fflate (npm, pinned) bundled by the pinned esbuild from its entry in static/bundle/, as
    it is now; fflate's license heads the bundle and its minified copy."""
    assert (STATIC / name).read_text("utf-8") == bundle(name), f"run `make minify`: {name}"
    package = BUNDLES[name][1]
    notice = (ESBUILD.parents[1] / package / "LICENSE").read_text("utf-8").strip().splitlines()[2]  # "Copyright ..."
    for text in ((STATIC / name).read_text("utf-8"), (STATIC / MIN_DIR / name).read_text("utf-8")):
        assert text.startswith(f"/*! {name}: {package} ") and notice in text.split("*/", 1)[0]
        assert "MIT License" in text.split("*/", 1)[0]
