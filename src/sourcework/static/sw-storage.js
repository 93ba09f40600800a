// @ts-check
/**
 * sw-storage.js: answers saved in the browser's localStorage.
 *
 * One entry per item, keyed `sourcework:<contentHash>:<edition>:<itemId>` (the namespace is passed to init) and
 * holding {response, itemHash, savedAt, score?}.
 * The content hash in the key keeps answers to one version of the exercises apart from another's, and from other
 * books opened from the same origin (every file:// page shares one). Nothing here throws: a browser that refuses
 * storage (private mode, disabled cookies) still runs the exercises, and the page is told once.
 */
(function (root) {
  "use strict";

  const PREFIX = "sourcework:";
  const STUDENT = "~student"; // "~" cannot start an item id, so this never collides with one

  /**
   * @typedef {{earned: string, possible: string, status: string}} SavedScore
   * @typedef {{response: unknown, itemHash: string, savedAt: string, score?: SavedScore}} SavedRecord
   * @typedef {{state: "none"} | {state: "corrupt"} | {state: "foreign"} | {state: "ok", record: SavedRecord}} ReadResult
   */

  /** @type {Storage | null} */
  let store = null;
  let contentHash = "";
  let told = false;
  /** @type {(message: string) => void} */
  let report = () => {};

  /**
   * Start using storage for one version of the exercises. Returns whether answers can be saved.
   * @param {string} hash content hash of all exercise sets
   * @param {(message: string) => void} reportProblem shows a page-level notice
   */
  function init(hash, reportProblem) {
    contentHash = hash || "unversioned";
    report = reportProblem;
    told = false;
    try {
      const probe = `${PREFIX}probe`;
      root.localStorage.setItem(probe, "1");
      root.localStorage.removeItem(probe);
      store = root.localStorage;
    } catch (_) {
      store = null;
      tellOnce("This browser does not let the page save your answers, so they are kept only while this page is " +
        "open. Use “Download my answers” before you leave.");
    }
    return store !== null;
  }

  /** @param {string} message */
  function tellOnce(message) {
    if (told) return;
    told = true;
    report(message);
  }

  /** @param {string} id */
  const keyFor = (id) => `${PREFIX}${contentHash}:${id}`;

  /** @param {unknown} data @returns {data is SavedRecord} */
  function isRecord(data) {
    if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
    const rec = /** @type {Record<string, unknown>} */ (data);
    return "response" in rec && typeof rec.itemHash === "string" && typeof rec.savedAt === "string";
  }

  /**
   * The saved record of one item, or why there is none usable.
   * @param {string} itemId @returns {ReadResult}
   */
  function read(itemId) {
    if (!store) return { state: "none" };
    let text = null;
    try {
      text = store.getItem(keyFor(itemId));
    } catch (_) {
      return { state: "none" };
    }
    if (text === null) return { state: "none" };
    let data;
    try {
      data = JSON.parse(text);
    } catch (_) {
      return { state: "corrupt" };
    }
    return isRecord(data) ? { state: "ok", record: data } : { state: "foreign" };
  }

  /**
   * Save one item's record; false (and a single notice) when storage refuses.
   * @param {string} itemId @param {SavedRecord} record
   */
  function write(itemId, record) {
    return setRaw(keyFor(itemId), JSON.stringify(record));
  }

  /** @param {string} key @param {string} text */
  function setRaw(key, text) {
    if (!store) {
      tellOnce("Your answers cannot be saved in this browser; download them before you leave the page.");
      return false;
    }
    try {
      store.setItem(key, text);
      return true;
    } catch (_) {
      tellOnce("The browser refused to save your latest answer (its storage may be full). Download your answers " +
        "to keep them.");
      return false;
    }
  }

  /** @param {string} itemId */
  function remove(itemId) {
    try {
      if (store) store.removeItem(keyFor(itemId));
    } catch (_) {
      /* nothing saved, nothing to lose */
    }
  }

  /** Every readable record of this version, by item id; damaged entries are skipped. */
  function all() {
    /** @type {Record<string, SavedRecord>} */
    const found = {};
    for (const key of ownKeys()) {
      const id = key.slice(keyFor("").length);
      if (id === STUDENT) continue;
      const result = read(id);
      if (result.state === "ok") found[id] = result.record;
    }
    return found;
  }

  /** Keys that belong to this version of the exercises. */
  function ownKeys() {
    const prefix = keyFor("");
    /** @type {string[]} */
    const keys = [];
    if (!store) return keys;
    try {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key && key.startsWith(prefix)) keys.push(key);
      }
    } catch (_) {
      /* an unreadable store simply has no keys */
    }
    return keys;
  }

  /** The student's name and id as last typed (empty strings when unknown). */
  function readStudent() {
    const result = { name: "", id: "" };
    try {
      const data = store ? JSON.parse(store.getItem(keyFor(STUDENT)) || "{}") : {};
      if (typeof data.name === "string") result.name = data.name;
      if (typeof data.id === "string") result.id = data.id;
    } catch (_) {
      /* a damaged entry is the same as none */
    }
    return result;
  }

  /** @param {{name: string, id: string}} student */
  function writeStudent(student) {
    return setRaw(keyFor(STUDENT), JSON.stringify({ name: student.name, id: student.id }));
  }

  /** Remove every saved answer (and the name) of this version of the exercises. */
  function clear() {
    for (const key of ownKeys()) {
      try {
        if (store) store.removeItem(key);
      } catch (_) {
        /* keep going: clear what can be cleared */
      }
    }
  }

  root.SourceworkStorage = {
    init, read, write, remove, all, readStudent, writeStudent, clear, keyFor,
    get available() { return store !== null; },
  };
})(/** @type {any} */ (globalThis));
