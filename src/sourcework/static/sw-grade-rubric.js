// @ts-check
/**
 * sw-grade-rubric.js: the rubric screen of the class-grading page (instructor edition). One written answer at a
 * time: the student's text, each rubric criterion as a radio group of its levels (label, points, descriptor and
 * anchor answer shown), a comment box; the teacher's levels and comments are kept in this browser's localStorage
 * per class and come back after a reload.
 *
 * Keys (while focus is on the screen and not in the comment box): a digit picks the level worth that many points
 * for the criterion that has focus (or the first one without a level) and moves to the next criterion; N or J goes
 * to the next answer, P or K to the previous one; arrow keys move within a criterion as radio buttons do. Focus is
 * never trapped: Tab leaves the screen as usual. After Next/Previous focus goes to the answer's heading.
 *
 * API (sw-grade-page.js uses it): `SourceworkGradeRubric.mount(section, book, onChange)` → screen with
 *   `setTasks(tasks)` (tasks from `tasksOf(run, book)`), `load(key, keep)` (the class's storage key; restores
 *   levels, comments, position and Hide names; with `keep`, files were added to the class on screen, and when the
 *   larger class has no record yet its scores so far carry over), `rows()` → `[{studentId, itemId, criterionId, points, comment}]` (the
 *   rubric-scores CSV's rows as the engine's rubricCsv reads and writes them: one per level picked, a comment on the first row of its answer or on a row of its own),
 *   `setRows(rows)` (an import: replaces the levels and comments of the answers it names), `scored()`, `total()`.
 * `onChange()` is called after every level or comment change (the page re-grades, debounced).
 * All text reaches the page through textContent, never as HTML.
 */
(function (root) {
  "use strict";

  const KEY_PREFIX = "sourcework-grade/";

  /**
   * @param {string} tag @param {Record<string, string>} [attrs] @param {(Node|string)[]} [kids]
   * @returns {HTMLElement}
   */
  function el(tag, attrs, kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const kid of kids || []) node.append(kid);
    return node;
  }

  /** The written answers to score: one per student (first file per id) and rubric item answered, item by item. */
  function tasksOf(run, book) {
    const items = [];
    for (const set of book.sets) {
      for (const item of set.items) if (item.rubric && item.rubric.length) items.push({item, set});
    }
    const seen = new Set();
    const students = [];
    for (const s of run.students) {
      if (seen.has(s.studentId)) continue;
      seen.add(s.studentId);
      students.push(s);
    }
    const anon = anonymousNumbers(students.map((s) => s.studentId));
    const tasks = [];
    for (const {item, set} of items) {
      for (const s of students) {
        const response = (s.answers || {})[item.id];
        const text = response && typeof response === "object" ? response.text : response;
        if (typeof text !== "string" || !text.trim()) continue;
        if (s.skipped && s.skipped[item.id]) continue;
        tasks.push({studentId: s.studentId, studentName: s.studentName || "", file: s.file, item, set, text,
          anon: anon.get(s.studentId) || 0});
      }
    }
    return tasks;
  }

  /** A stable number per student for blind scoring, in an order that does not follow names or files. */
  function anonymousNumbers(ids) {
    const sorted = [...ids].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : a > b ? 1 : 0));
    return new Map(sorted.map((id, n) => [id, n + 1]));
  }

  /** A 53-bit string hash (cyrb53): storage keys and the blind-scoring order; not for security. */
  function hash(text, seed = 0) {
    let h1 = 0xdeadbeef ^ seed, h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }

  function pointsText(points) {
    return String(points) + (String(points) === "1" ? " point" : " points");
  }

  /**
   * @param {HTMLElement} section @param {any} book @param {() => void} onChange
   */
  function mount(section, book, onChange) {
    /** @type {any[]} */
    let tasks = [];
    let pos = 0;
    let storageKey = "";
    /** @type {Record<string, {levels: Record<string, number>, comment: string}>} */
    let scores = {};
    let hide = false;

    const heading = el("h2", {id: "swg-rubric-h", text: "Score written answers"});
    const keysNote = el("p", {class: "sw-grade-keys", text: "Keys: a digit picks the level worth that many points "
      + "for the criterion you are on and moves to the next criterion; N or J: next answer; P or K: previous answer. "
      + "Arrow keys move between the levels of a criterion."});
    const prev = el("button", {type: "button", class: "sw-grade-button", "data-swg": "prev", text: "Previous answer"});
    const next = el("button", {type: "button", class: "sw-grade-button", "data-swg": "next", text: "Next answer"});
    const hideBox = /** @type {HTMLInputElement} */ (el("input", {type: "checkbox", id: "swg-hide"}));
    const hideLabel = el("label", {for: "swg-hide", class: "sw-grade-hide"}, [hideBox, " Hide names"]);
    const progress = el("p", {class: "sw-grade-scored", id: "swg-scored"});
    const bar = el("div", {class: "sw-grade-rubric-bar"}, [prev, next, hideLabel, progress]);
    const answer = el("div", {class: "sw-grade-answer", id: "swg-answer"});
    const said = el("p", {role: "status", class: "sw-grade-said", id: "swg-rubric-status"});
    section.append(heading, keysNote, bar, answer, said);

    const keyOf = (task) => task.studentId + "\u0000" + task.item.id;
    const entry = (task) => scores[keyOf(task)] || {levels: {}, comment: ""};
    const isScored = (task) => task.item.rubric.every((c) => c.id in entry(task).levels);
    const scoredCount = () => tasks.filter(isScored).length;
    const who = (task) => hide ? `Student ${task.anon}` : `${task.studentName || "(no name)"} (${task.studentId})`;

    function save() {
      if (!storageKey) return;
      try {
        localStorage.setItem(storageKey, JSON.stringify({v: 1, scores, pos, hide}));
      } catch (e) {
        said.textContent = "This browser would not keep the scores (storage is full or turned off). Export the "
          + "rubric scores before you close the page.";
      }
    }

    function showProgress() {
      progress.textContent = `${scoredCount()} of ${tasks.length} scored`;
    }

    /** Render the current answer; focus its heading when `focus`. */
    function render(focus) {
      answer.replaceChildren();
      showProgress();
      prev.toggleAttribute("disabled", pos <= 0);
      next.toggleAttribute("disabled", pos >= tasks.length - 1);
      if (!tasks.length) {
        answer.append(el("p", {text: "No written answers to score in this class."}));
        return;
      }
      const task = tasks[pos];
      const item = task.item;
      const current = entry(task);
      const title = el("h3", {id: "swg-answer-h", tabindex: "-1",
        text: `Answer ${pos + 1} of ${tasks.length}: ${who(task)}`});
      const about = el("p", {class: "sw-grade-item",
        text: `${task.set.title}: ${item.title || item.id} (${pointsText(item.points)})`});
      const stem = el("p", {class: "sw-grade-stem", text: item.stem || ""});
      const text = el("blockquote", {class: "sw-grade-text", "aria-label": "The student's answer",
        id: "swg-text", text: task.text});
      const criteria = el("div", {class: "sw-grade-criteria"});
      item.rubric.forEach((criterion, n) => {
        const name = `swg-c-${n}`;
        const max = Math.max(...criterion.levels.map((l) => Number(l.points)));
        const group = el("fieldset", {class: "sw-grade-criterion", "data-criterion": criterion.id},
          [el("legend", {text: `${criterion.criterion} (up to ${pointsText(max)})`})]);
        criterion.levels.forEach((level, m) => {
          const id = `${name}-${m}`;
          const input = /** @type {HTMLInputElement} */ (el("input", {type: "radio", name, id,
            value: String(level.points), "data-criterion": criterion.id}));
          input.checked = current.levels[criterion.id] === Number(level.points);
          const descId = `${id}-d`;
          input.setAttribute("aria-describedby", descId);
          const label = el("label", {for: id}, [el("strong", {text: `${level.points}: ${level.label || ""}`})]);
          const desc = el("div", {class: "sw-grade-level-text", id: descId}, [
            el("p", {text: level.descriptor || ""}),
            ...(level.anchor ? [el("p", {class: "sw-grade-anchor"},
              [el("span", {class: "sw-grade-anchor-label", text: "Anchor answer: "}), level.anchor])] : [])]);
          group.append(el("div", {class: "sw-grade-level"}, [input, label, desc]));
        });
        criteria.append(group);
      });
      const box = /** @type {HTMLTextAreaElement} */ (el("textarea", {id: "swg-comment", rows: "3",
        class: "sw-grade-comment"}));
      box.value = current.comment || "";
      const boxLabel = el("label", {for: "swg-comment", text: "Comment for the student (optional; shown on the "
        + "feedback page)"});
      answer.append(title, about, el("p", {class: "sw-grade-stem-label", text: "The question:"}), stem, text,
        criteria, boxLabel, box);
      if (focus) title.focus();
    }

    function update(task, change) {
      const key = keyOf(task);
      const current = scores[key] || {levels: {}, comment: ""};
      change(current);
      if (!Object.keys(current.levels).length && !current.comment) delete scores[key];
      else scores[key] = current;
      save();
      showProgress();
      onChange();
    }

    function pick(input, viaKey) {
      const task = tasks[pos];
      const criterion = task.item.rubric.find((c) => c.id === input.dataset.criterion);
      input.checked = true;
      update(task, (cur) => { cur.levels[criterion.id] = Number(input.value); });
      const level = criterion.levels.find((l) => String(l.points) === input.value);
      const done = isScored(task) ? " This answer is scored." : "";
      said.textContent = `${criterion.criterion}: ${pointsText(input.value)}, ${level.label}.${done} `
        + `${scoredCount()} of ${tasks.length} scored.`;
      if (viaKey) {
        const groups = [...answer.querySelectorAll("fieldset")];
        const at = groups.findIndex((g) => g.contains(input));
        const following = groups[at + 1];
        if (following) focusGroup(following);
        else input.focus();
      }
    }

    function focusGroup(group) {
      const target = /** @type {HTMLInputElement|null} */ (group.querySelector("input:checked")
        || group.querySelector("input"));
      if (target) target.focus();
    }

    function go(step) {
      const to = Math.min(Math.max(pos + step, 0), tasks.length - 1);
      if (to === pos) {
        said.textContent = step > 0 ? "This is the last answer." : "This is the first answer.";
        return;
      }
      pos = to;
      save();
      render(true);
      said.textContent = `Answer ${pos + 1} of ${tasks.length}: ${who(tasks[pos])}.`;
    }

    answer.addEventListener("change", (event) => {
      const t = /** @type {HTMLInputElement} */ (event.target);
      if (t.type === "radio") pick(t, false);
    });
    answer.addEventListener("input", (event) => {
      const t = /** @type {HTMLTextAreaElement} */ (event.target);
      if (t.id !== "swg-comment") return;
      update(tasks[pos], (cur) => { cur.comment = t.value; });
    });
    prev.addEventListener("click", () => go(-1));
    next.addEventListener("click", () => go(1));
    hideBox.addEventListener("change", () => {
      hide = hideBox.checked;
      save();
      render(false);
      said.textContent = hide ? "Names hidden: each student is shown by a number." : "Names shown.";
      onChange();
    });
    section.addEventListener("keydown", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      if (event.ctrlKey || event.altKey || event.metaKey || !tasks.length) return;
      if (target.closest("textarea, select") || (target instanceof HTMLInputElement
          && !["radio", "checkbox"].includes(target.type))) return;
      const key = event.key;
      if (/^[0-9]$/.test(key)) {
        const groups = [...answer.querySelectorAll("fieldset")];
        const task = tasks[pos];
        const group = groups.find((g) => g.contains(target))
          || groups.find((g) => !(g.getAttribute("data-criterion") in entry(task).levels)) || groups[0];
        if (!group) return;
        const input = /** @type {HTMLInputElement|null} */ (group.querySelector(`input[value="${key}"]`));
        event.preventDefault();
        if (input) pick(input, true);
        else said.textContent = `${group.querySelector("legend").textContent}: no level is worth ${key}.`;
      } else if ("nNjJ".includes(key) && key.length === 1) {
        event.preventDefault();
        go(1);
      } else if ("pPkK".includes(key) && key.length === 1) {
        event.preventDefault();
        go(-1);
      }
    });

    return {
      setTasks(list) {
        tasks = list;
        pos = Math.min(pos, Math.max(tasks.length - 1, 0));
        render(false);
      },
      load(key, keep) {
        storageKey = KEY_PREFIX + key;
        let saved = null;
        try {
          saved = JSON.parse(localStorage.getItem(storageKey) || "null");
        } catch (e) { /* a broken record: start afresh */ }
        if (saved && saved.v === 1) {
          scores = saved.scores || {};
          pos = Number(saved.pos) || 0;
          hide = !!saved.hide;
        } else if (keep) {
          save(); // files added to a class being scored: its scores carry over to the larger class
          return 0;
        } else {
          scores = {};
          pos = 0;
          hide = false;
        }
        hideBox.checked = hide;
        return Object.keys(scores).length;
      },
      rows() {
        const rows = [];
        for (const [key, value] of Object.entries(scores)) {
          const [studentId, itemId] = key.split("\u0000");
          const levels = Object.entries(value.levels);
          let comment = value.comment || "";
          for (const [criterionId, points] of levels) {
            rows.push({studentId, itemId, criterionId, points: String(points), comment});
            comment = "";
          }
          if (comment) rows.push({studentId, itemId, criterionId: "", points: "", comment});
        }
        return rows;
      },
      setRows(rows) {
        const fresh = new Set();
        for (const row of rows) {
          const key = row.studentId + "\u0000" + row.itemId;
          if (!fresh.has(key)) {
            fresh.add(key);
            scores[key] = {levels: {}, comment: ""};
          }
          if (row.criterionId) scores[key].levels[row.criterionId] = Number(row.points);
          if (row.comment) scores[key].comment = scores[key].comment ? scores[key].comment + "\n" + row.comment
            : row.comment;
        }
        save();
        render(false);
        onChange();
      },
      scored: scoredCount,
      total: () => tasks.length,
      hidden: () => hide,
    };
  }

  root.SourceworkGradeRubric = {mount, tasksOf, hash, el};
})(typeof window !== "undefined" ? window : globalThis);
