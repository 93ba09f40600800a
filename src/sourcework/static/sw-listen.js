// @ts-check
/**
 * sw-listen.js: "Listen" controls that read a text aloud with the browser's own speech synthesis (nothing is sent
 * or fetched). Each source version (div.sw-version, or the original's text on a page without adapted versions), the
 * Spanish summary (div.sw-summary-es) and each h2 section of a chapter gets a small group: Listen, Pause/Resume,
 * Stop, a speed choice (0.75, 1, 1.25) and a status line (role=status). The group stays hidden when the browser has
 * no speechSynthesis or no voice for the text's language (checked again on "voiceschanged"). The words of the
 * controls come from the message catalogs (sw-i18n.js) and follow the interface language.
 */
(function (root) {
  "use strict";

  const synth = root.speechSynthesis;
  const Utterance = root.SpeechSynthesisUtterance;
  const i18n = root.SourceworkI18n;
  if (!synth || typeof Utterance !== "function" || !i18n) return;
  const t = i18n.t;
  const RATES = [["0.75", "listen.rate_slow"], ["1", "listen.rate_normal"], ["1.25", "listen.rate_fast"]];
  // The readable blocks of a text; a block inside another is read with it.
  const BLOCKS = "h2, h3, h4, p, li, dt, dd, th, td, blockquote";
  // Not read: the controls themselves, link marks, paragraph numbers, the "from ¶3" links, hidden and print-only text.
  const SKIP = ".sw-listen, .headerlink, .sw-para-number, .sw-adapted-from, .sw-version-switch, script, style, " +
    "button, [hidden], [aria-hidden=true], .sw-visually-hidden, .sw-print-only";
  /** @type {{stop: () => void} | null} */
  let playing = null;

  /** The language of `el` ("en", "es"), from the nearest lang attribute. @param {Element} el */
  const langOf = (el) => ((el.closest("[lang]")?.getAttribute("lang")) || document.documentElement.lang || "en")
    .slice(0, 2).toLowerCase();

  /** @param {string} lang */
  const voiceFor = (lang) => synth.getVoices().find((v) => (v.lang || "").toLowerCase().startsWith(lang)) || null;

  /** The text of `scope` to read, one string per block. @param {Element} scope @returns {string[]} */
  function textOf(scope) {
    const blocks = Array.from(scope.querySelectorAll(BLOCKS)).filter((b) =>
      !b.closest(SKIP) && !(b.parentElement && b.parentElement.closest(BLOCKS) && scope.contains(b.parentElement.closest(BLOCKS))));
    return blocks.map((block) => {
      const copy = /** @type {Element} */ (block.cloneNode(true));
      copy.querySelectorAll(SKIP).forEach((n) => n.remove());
      return (copy.textContent || "").replace(/\s+/g, " ").trim();
    }).filter(Boolean);
  }

  /** @param {string} tag @param {string} cls @param {string} [key] */
  function el(tag, cls, key) {
    const node = document.createElement(tag);
    node.className = cls;
    if (key) node.setAttribute("data-sw-msg", key);
    if (key) node.textContent = t(key);
    return node;
  }

  let serial = 0;
  /**
   * A Listen group for `scope`, inserted after `anchor` (or first in `scope`). @param {Element} scope
   * @param {Element | null} anchor @param {string} what the name of what is read (for the button's accessible name)
   */
  function addControls(scope, anchor, what) {
    const lang = langOf(scope);
    const box = el("div", "sw-listen");
    box.setAttribute("role", "group");
    box.setAttribute("data-sw-msg-label", "listen.controls");
    box.setAttribute("aria-label", t("listen.controls"));
    box.hidden = true;
    const start = el("button", "sw-btn sw-listen-start");
    start.setAttribute("type", "button");
    const label = () => {
      start.textContent = t("listen.start");
      start.setAttribute("aria-label", t("listen.start_label", { what }));
    };
    label();
    const pause = /** @type {HTMLButtonElement} */ (el("button", "sw-btn sw-listen-pause", "listen.pause"));
    pause.type = "button";
    pause.hidden = true;
    const stop = /** @type {HTMLButtonElement} */ (el("button", "sw-btn sw-listen-stop", "listen.stop"));
    stop.type = "button";
    stop.hidden = true;
    const id = `sw-listen-rate-${++serial}`;
    const rateLabel = el("label", "sw-listen-rate-label", "listen.rate");
    rateLabel.setAttribute("for", id);
    const rate = /** @type {HTMLSelectElement} */ (el("select", "sw-listen-rate"));
    rate.id = id;
    for (const [value, key] of RATES) {
      const option = /** @type {HTMLOptionElement} */ (el("option", "", key));
      option.value = value;
      option.textContent = `${t(key)} (${value.replace(".", lang === "es" ? "," : ".")}×)`;
      rate.append(option);
    }
    rate.value = "1";
    const status = el("span", "sw-listen-status sw-visually-hidden");
    status.setAttribute("role", "status");
    box.append(start, pause, stop, rateLabel, rate, status);
    if (anchor) anchor.after(box);
    else scope.prepend(box);

    let paused = false;
    /** @param {boolean} on */
    const speaking = (on) => {
      pause.hidden = stop.hidden = !on;
      paused = false;
      pause.textContent = t("listen.pause");
      pause.setAttribute("data-sw-msg", "listen.pause");
    };
    const me = {
      stop() {
        speaking(false);
        playing = null;
      },
    };
    start.addEventListener("click", () => {
      const voice = voiceFor(lang);
      synth.cancel();
      if (playing) playing.stop();
      const parts = textOf(scope);
      if (!voice || !parts.length) return;
      playing = me;
      speaking(true);
      status.textContent = t("listen.reading");
      parts.forEach((part, index) => {
        const utterance = new Utterance(part);
        utterance.lang = voice.lang || lang;
        utterance.voice = voice;
        utterance.rate = Number(rate.value) || 1;
        if (index === parts.length - 1) {
          utterance.onend = () => {
            if (playing !== me) return;
            me.stop();
            status.textContent = t("listen.done");
          };
        }
        synth.speak(utterance);
      });
    });
    pause.addEventListener("click", () => {
      if (paused) {
        synth.resume();
        status.textContent = t("listen.reading");
      } else {
        synth.pause();
        status.textContent = t("listen.paused");
      }
      paused = !paused;
      const key = paused ? "listen.resume" : "listen.pause";
      pause.textContent = t(key);
      pause.setAttribute("data-sw-msg", key);
    });
    stop.addEventListener("click", () => {
      synth.cancel();
      me.stop();
      status.textContent = t("listen.stopped");
      start.focus();
    });
    const check = () => { box.hidden = !voiceFor(lang); };
    check();
    synth.addEventListener?.("voiceschanged", check);
    document.addEventListener("sourcework:lang", () => {
      label();
      for (const option of rate.options) {
        option.textContent = `${t(option.getAttribute("data-sw-msg") || "")} (${option.value.replace(".", lang === "es" ? "," : ".")}×)`;
      }
    });
  }

  function boot() {
    const title = (/** @type {Element | null} */ node) => (node?.textContent || "").replace("#", "").trim();
    const versions = document.querySelectorAll(".sw-version");
    for (const version of versions) addControls(version, version.querySelector(".sw-version-title"), title(version.querySelector(".sw-version-title")));
    if (!versions.length) {
      const text = document.querySelector(".sw-source-text");
      if (text) addControls(text, null, title(document.querySelector("h1")));
    }
    const summary = document.querySelector(".sw-summary-es");
    if (summary) addControls(summary, summary.querySelector(".sw-summary-es-title"), title(summary.querySelector(".sw-summary-es-title")));
    for (const heading of document.querySelectorAll("main section > h2, article section > h2")) {
      const section = /** @type {Element} */ (heading.parentElement);
      if (section.querySelector(".sw-item, .sw-versions")) continue;
      addControls(section, heading, title(heading));
    }
    // Leaving the page stops the voice (browsers may keep reading otherwise).
    root.addEventListener("pagehide", () => synth.cancel());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(/** @type {any} */ (globalThis));
