// @ts-check
/**
 * sw-type-order.js: the order item type (put events in order with Move up / Move down buttons; no dragging),
 * scorer and widget parts; registers with sw-core.js.
 */
(function (root) {
  "use strict";
  /** @param {ParentNode} form */
  const events = (form) => /** @type {HTMLElement[]} */ (Array.from(form.querySelectorAll("li[data-sw-event]")));

  root.SourceworkTypes.register("order", {
    /** @param {any} item @param {unknown} response @param {any} points @param {any} S */
    score(item, response, points, S) {
      const key = S.keyList(item.key);
      if (!key.length) return S.invalid(points, "This item has no key; tell your teacher.");
      const problem = S.checkIdList(response, new Set(key), "event", "listed");
      if (problem) return S.invalid(points, problem);
      const list = /** @type {string[]} */ (response);
      if (list.length !== key.length) {
        return S.invalid(points, `Expected all ${key.length} events in order, got ${list.length}.`);
      }
      const n = key.length;
      const pairs = (n * (n - 1)) / 2;
      let inOrder = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) if (key.indexOf(list[i]) < key.indexOf(list[j])) inOrder += 1;
      }
      const credit = pairs ? S.Frac.of(inOrder, pairs) : S.ONE;
      const counts = `${inOrder} of ${S.plural(pairs, "pair")} of events in the right order`;
      let reason;
      if (credit.cmp(S.ONE) === 0) reason = `${counts}: all of the points.`;
      else if (inOrder) reason = `${counts}: ${inOrder}/${pairs} of the points.`; // unreduced: the student sees counts
      else reason = `${counts}: no points.`;
      return S.graded(points, credit, reason, { pairs_right: inOrder, pairs });
    },
    fits: root.SourceworkScoring.isStrings,
    /** @param {HTMLFormElement} form @param {any} widget */
    read: (form, widget) => (widget.touched ? events(form).map((li) => li.dataset.swEvent || "") : null),
    /** @param {HTMLFormElement} form @param {string[]} r */
    write(form, r) {
      const list = /** @type {HTMLElement} */ (form.querySelector("ol.sw-order"));
      /** @param {HTMLElement} li */
      const rank = (li) => {
        const i = r.indexOf(li.dataset.swEvent || "");
        return i < 0 ? r.length : i; // events the saved answer lacks go last
      };
      events(list).sort((x, y) => rank(x) - rank(y)).forEach((li) => list.append(li));
    },
    /** @param {any} d @param {any} _ @param {any} result @param {string[]} lines */
    explain(d, _, result, lines) {
      const outcome = result.status === "correct" || result.status === "partial" ? result.status : "incorrect";
      const text = (d.outcome_feedback || {})[outcome];
      if (text) lines.push(text);
    },
    /** @param {any} d @param {HTMLFormElement} _ @param {string[]} lines */
    show(d, _, lines) {
      /** @param {string} id */
      const text = (id) => ((d.events || []).find((/** @type {any} */ e) => e.id === id) || { text: id }).text;
      (d.key || []).forEach((/** @type {string} */ id, /** @type {number} */ i) => lines.push(`${i + 1}. ${text(id)}`));
    },
    /**
     * Move an event one place, keeping focus on the pressed button so keyboard users can keep going; the move is
     * announced in the item's own status line.
     * @param {any} widget @param {HTMLButtonElement} button
     */
    click(widget, button) {
      if (!button.dataset.swMove) return false;
      const li = /** @type {HTMLElement} */ (button.closest("li"));
      const list = /** @type {HTMLElement} */ (li.parentElement);
      const up = button.dataset.swMove === "up";
      const other = up ? li.previousElementSibling : li.nextElementSibling;
      const status = widget.section.querySelector(".sw-order-status");
      const text = (li.querySelector(".sw-event-text") || li).textContent;
      if (other) {
        widget.touched = true;
        if (up) list.insertBefore(li, other);
        else list.insertBefore(other, li);
      }
      button.focus();
      const position = Array.from(list.children).indexOf(li) + 1;
      if (status) {
        const t = root.SourceworkItems.t;
        status.textContent = other ? t("order.moved", { text, position, count: list.children.length })
          : t(up ? "order.already_first" : "order.already_last", { text });
        root.SourceworkI18n.mark(status);
      }
      if (other) widget.persist();
      return true;
    },
  });
})(/** @type {any} */ (globalThis));
