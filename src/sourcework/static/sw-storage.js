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

  const STUDENT = "~student"; // "~" cannot start an item id, so this never collides with one

  /**
   * @typedef {{earned: string, possible: string, status: string}} SavedScore
   * @typedef {{response: unknown, itemHash: string, savedAt: string, score?: SavedScore}} SavedRecord
   */

  /** @type {Storage | null} */
  let store = null;
  let prefix = ""; // every key of this version of the exercises starts with it
  let told = false;
  /** @type {(message: string) => void} */
  let report = () => {};

  /**
   * Start using storage for one version of the exercises. Returns whether answers can be saved.
   * @param {string} hash content hash of all exercise sets
   * @param {(message: string) => void} reportProblem shows a page-level notice
   */
  function init(hash, reportProblem) {
    prefix = `sourcework:${hash || "unversioned"}:`;
    report = reportProblem;
    told = false;
    try {
      store = root.localStorage; // reading it throws too where storage is switched off
      store.setItem("sourcework:probe", "1");
      store.removeItem("sourcework:probe");
    } catch (_) {
      store = null;
      tellOnce(root.SourceworkI18n.t("storage.unavailable"));
    }
    return store !== null;
  }

  /** @param {string} message */
  function tellOnce(message) {
    if (!told) report(message);
    told = true;
  }

  /**
   * The saved record of one item: undefined when nothing is saved, null when the entry is damaged.
   * @param {string} itemId @returns {SavedRecord | null | undefined}
   */
  function read(itemId) {
    let text = null;
    try {
      text = store && store.getItem(prefix + itemId);
    } catch (_) { /* an unreadable store has nothing saved */ }
    if (text == null) return undefined;
    let data = null;
    try {
      data = JSON.parse(text);
    } catch (_) { /* damaged */ }
    const ok = data && typeof data === "object" && "response" in data && typeof data.itemHash === "string" &&
      typeof data.savedAt === "string";
    return ok ? data : null;
  }

  /**
   * Save one item's record; false (and a single notice) when storage refuses.
   * @param {string} itemId @param {SavedRecord} record
   */
  const write = (itemId, record) => setRaw(prefix + itemId, JSON.stringify(record));

  /** @param {string} key @param {string} text */
  function setRaw(key, text) {
    try {
      /** @type {Storage} */ (store).setItem(key, text); // no store throws too
      return true;
    } catch (_) {
      tellOnce(root.SourceworkI18n.t("storage.full"));
      return false;
    }
  }

  /** @param {string} key */
  function removeKey(key) {
    try {
      if (store) store.removeItem(key);
    } catch (_) { /* nothing saved, nothing to lose */ }
  }

  /** Keys that belong to this version of the exercises. */
  function ownKeys() {
    /** @type {string[]} */
    const keys = [];
    try {
      for (let i = 0; store && i < store.length; i++) {
        const key = store.key(i);
        if (key && key.startsWith(prefix)) keys.push(key);
      }
    } catch (_) { /* an unreadable store simply has no keys */ }
    return keys;
  }

  /** Every readable record of this version, by item id; damaged entries (and the student's name) are skipped. */
  function all() {
    /** @type {Record<string, SavedRecord>} */
    const found = {};
    for (const key of ownKeys()) {
      const id = key.slice(prefix.length);
      const record = read(id);
      if (record) found[id] = record;
    }
    return found;
  }

  /** The student's name and id as last typed (empty strings when unknown). */
  function readStudent() {
    let data = null;
    try {
      data = JSON.parse(/** @type {Storage} */ (store).getItem(prefix + STUDENT) || "");
    } catch (_) { /* none, or damaged: the same */ }
    /** @param {unknown} v */
    const text = (v) => (typeof v === "string" ? v : "");
    return { name: text(data?.name), id: text(data?.id) };
  }

  /** @param {{name: string, id: string}} student nothing else: it is saved as it is */
  const writeStudent = (student) => setRaw(prefix + STUDENT, JSON.stringify(student));

  root.SourceworkStorage = {
    init, read, write, all, readStudent, writeStudent,
    /** @param {string} itemId */
    remove: (itemId) => removeKey(prefix + itemId),
    /** Remove every saved answer (and the name) of this version of the exercises. */
    clear: () => ownKeys().forEach(removeKey),
    get available() { return store !== null; },
  };
})(/** @type {any} */ (globalThis));
