// @ts-check
/**
 * sw-grade-admit.js: which submissions the teacher's inputs hold (grader/admit.py's expand and Reader) and each one
 * read and checked (core/submission.py's parse_submission), with the same limits and the same reasons.
 *
 * The JSON is read by sw-grade-json.js (Python's json module's failures and words); archives with fflate
 * (sw-zip.js). See sw-grade-core.js for the API and the known differences.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const { repr, thousands, compare } = G.py;
  const { Invalid, DecodeError, Reader, dump, lineColumn, badUtf8, kind, STRICT } = G.json;

  const FORMAT = "sourcework-submission/1";
  const MAX_BYTES = 5 * 1024 * 1024;
  const MAX_MEMBERS = 20000;
  const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;
  const FIELDS = ["format", "book", "content_hash", "item_hashes", "edition", "student", "exported_at", "answers"];
  const EDITIONS = ["practice", "assessment", "instructor"];
  const RESEND = G.json.RESEND;

  // -------------------------------------------------------------------------------------------- the submission

  /**
   * core.submission.parse_submission: a submission's bytes checked; {submission} or {rejection: {reason, fix}}.
   * @param {Uint8Array} raw @param {string} name @param {boolean} [asFile] read as a file (the size in the reason)
   */
  function readSubmission(raw, name, asFile = true) {
    try {
      if (asFile && raw.length > MAX_BYTES) {
        throw new Invalid(`the file is ${thousands(raw.length)} bytes, more than the 5 MB limit for a submission.`,
          "Check that this is a submission file. " + RESEND);
      }
      return { submission: parse(raw, name) };
    } catch (error) {
      if (error instanceof Invalid) return { rejection: { reason: error.reason, fix: error.fix } };
      throw error;
    }
  }

  /** @param {Uint8Array} raw @param {string} name */
  function parse(raw, name) {
    if (raw.length > MAX_BYTES) throw new Invalid("the file is more than the 5 MB limit for a submission.", RESEND);
    const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
    const body = raw.subarray(bom);
    let text;
    try {
      text = STRICT.decode(body);
    } catch (_) { // where, in Python's words
      throw new Invalid(`the file is not UTF-8 text (undecodable byte at position ${badUtf8(body)}).`,
        "If it was edited by hand, re-save it as UTF-8. " + RESEND);
    }
    if (!G.py.hasText(text)) throw new Invalid("the file is empty.", RESEND);
    const reader = new Reader(text);
    let data;
    try {
      data = reader.decode();
    } catch (error) {
      if (error instanceof DecodeError) {
        const [line, column] = lineColumn(text, error.pos);
        throw new Invalid(`the file is not valid JSON (line ${line}, column ${column}: ${error.msg}).`, RESEND);
      }
      if (error instanceof RangeError) { // the JS stack, before MAX_DEPTH: nested too deeply all the same
        throw new Invalid("the file's JSON is nested too deeply to be a submission.", RESEND);
      }
      throw error;
    }
    return check(data, reader, name);
  }

  /**
   * A value as _show writes it in a reason: json.dumps with the default separators, cut to 40 characters.
   * @param {Reader} reader @param {[number, number] | undefined} span @param {unknown} value
   */
  function show(reader, span, value) {
    if (value === null || value === undefined || !span) return "missing";
    const text = dump(reader.s, span[0], [", ", ": "])[0];
    return G.py.len(text) <= 40 ? text : G.py.slice(text, 39) + "…";
  }

  /** core.submission._check_fields. @param {any} data @param {Reader} reader @param {string} name */
  function check(data, reader, name) {
    const has = (/** @type {any} */ o, /** @type {string} */ k) => Object.prototype.hasOwnProperty.call(o, k);
    if (kind(data) !== "object") throw new Invalid(`the file holds a JSON ${kind(data)}, not a submission object.`, RESEND);
    const fmt = has(data, "format") ? data.format : undefined;
    if (fmt !== FORMAT) {
      if (typeof fmt === "string" && fmt.startsWith("sourcework-submission/")) {
        throw new Invalid(`the submission format ${repr(fmt)} is not supported (this grader reads ${repr(FORMAT)}).`,
          "Grade it with the sourcework version that matches the book, or ask for a new export.");
      }
      throw new Invalid(`this is not a sourcework submission (its 'format' is ${show(reader, reader.top.get("format"), fmt)}` +
        `, expected ${repr(FORMAT)}).`, "Check that you picked the file the student downloaded from the book.");
    }
    const kinds = /** @type {[string, string][]} */ ([["book", "string"], ["content_hash", "string"],
      ["item_hashes", "object"], ["edition", "string"], ["student", "object"], ["exported_at", "string"],
      ["answers", "object"]]);
    for (const [key, want] of kinds) {
      if (!has(data, key)) throw new Invalid(`the field ${repr(key)} is missing.`, RESEND);
      if (kind(data[key]) !== want) {
        throw new Invalid(`the field ${repr(key)} should be a JSON ${want}, not a ${kind(data[key])}.`, RESEND);
      }
    }
    const hashOrder = [.../** @type {Map<string, any>} */ (reader.inner.get("item_hashes")).keys()];
    /** @type {Map<string, string>} */
    const itemHashes = new Map();
    for (const id of hashOrder) {
      const digest = data.item_hashes[id];
      if (typeof digest !== "string") {
        throw new Invalid(`item_hashes[${repr(id)}] should be a string, not a ${kind(digest)}.`, RESEND);
      }
      itemHashes.set(id, digest);
    }
    const student = data.student;
    const studentSpans = /** @type {Map<string, [number, number]>} */ (reader.inner.get("student"));
    for (const key of ["name", "id"]) {
      const value = has(student, key) ? student[key] : undefined;
      if (typeof value !== "string") {
        throw new Invalid(`student ${repr(key)} should be a string, not ${show(reader, studentSpans.get(key), value)}.`,
          RESEND);
      }
    }
    const studentId = G.py.strip(student.id);
    const studentName = G.py.strip(student.name);
    if (!studentId) {
      throw new Invalid("the Student ID is empty, so the grade could not be matched to a student.",
        `Ask ${studentName || "the student"} to export again with their id, or type it into the file's "student" field.`);
    }
    const warnings = [];
    const unknown = [...reader.top.keys()].filter((k) => !FIELDS.includes(k)).sort(compare);
    if (unknown.length) warnings.push(`unknown field(s) ignored: ${unknown.map(repr).join(", ")}.`);
    const edition = data.edition;
    if (edition === "practice" || edition === "instructor") {
      warnings.push(`exported from the ${edition} edition, where the keys are shown.`);
    } else if (!EDITIONS.includes(edition)) {
      warnings.push(`unknown edition ${repr(edition)}.`);
    }
    const answerSpans = /** @type {Map<string, [number, number]>} */ (reader.inner.get("answers"));
    return { path: name, book: data.book, contentHash: data.content_hash, itemHashes, edition, studentName,
      studentId, exportedAt: data.exported_at, answers: data.answers, answerIds: new Set(answerSpans.keys()),
      answerOrder: [...answerSpans.keys()], warnings,
      /** The answer to `id` as compact JSON, as grader.gradebook.json_text writes it. @param {string} id */
      answerText: (id) => dump(reader.s, /** @type {[number, number]} */ (answerSpans.get(id))[0], [",", ":"])[0] };
  }

  // -------------------------------------------------------------------------------------------- the inputs

  /** admit._wanted: a .json file, not macOS's metadata. @param {string} name */
  function wanted(name) {
    const parts = name.replace(/\\/g, "/").split("/");
    return name.toLowerCase().endsWith(".json") && !parts.slice(0, -1).includes("__MACOSX") &&
      !parts[parts.length - 1].startsWith("._");
  }

  /**
   * admit.expand and admit.Reader: each input as the entries it holds, in order (see the API at the top of
   * sw-grade-core.js). Files whose paths share a first folder are that folder's files: kept if wanted, in the
   * order of their paths inside it.
   * @param {{path: string, bytes: Uint8Array}[]} files
   */
  function expandInputs(files) {
    /** @type {any[]} */
    const out = [];
    /** @type {Map<string, {path: string, bytes: Uint8Array}[]>} */
    const folders = new Map();
    /** @type {(string | {path: string, bytes: Uint8Array})[]} */
    const order = [];
    for (const file of files) {
      const slash = file.path.indexOf("/");
      if (slash === -1) { order.push(file); continue; }
      const top = file.path.slice(0, slash);
      if (!folders.has(top)) { folders.set(top, []); order.push(top); }
      /** @type {any[]} */ (folders.get(top)).push(file);
    }
    for (const given of order) {
      if (typeof given === "string") {
        const inside = /** @type {any[]} */ (folders.get(given))
          .map((f) => ({ rel: f.path.slice(given.length + 1), file: f })).filter((f) => wanted(f.rel))
          .sort((a, b) => compare(a.rel, b.rel));
        for (const { file } of inside) out.push({ name: file.path, bytes: file.bytes });
      } else if (given.path.toLowerCase().endsWith(".zip")) {
        out.push(...archive(given.path, given.bytes));
      } else {
        out.push({ name: given.path, bytes: given.bytes });
      }
    }
    return out;
  }

  /** admit._archive_entries and Reader.read for one archive. @param {string} name @param {Uint8Array} bytes */
  function archive(name, bytes) {
    const Z = root.SourceworkZip;
    /** @type {Map<string, {size: number, count: number}>} the last entry of each name, as zipfile's getinfo */
    const info = new Map();
    try {
      Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => {
        if (!f.name.endsWith("/") && wanted(f.name)) {
          info.set(f.name, { size: f.originalSize, count: (info.has(f.name) ? info.get(f.name).count : 0) + 1 });
        }
        return false;
      } });
    } catch (error) {
      return [{ name, issue: { level: "rejected", message: "not graded: the archive cannot be opened (File is not a " +
        "zip file).", fix: "Download the submissions from the LMS again, or unzip them and give the folder." } }];
    }
    // A name written twice is listed twice, and both read its last entry (Python's zipfile does the same).
    const members = [...info.keys()].sort(compare).flatMap((m) => Array(/** @type {any} */ (info.get(m)).count).fill(m));
    /** @type {any[]} */
    const out = [];
    if (!members.length) {
      out.push({ name, issue: { level: "warning", message: "the archive holds no .json files; nothing in it was graded.", fix: "" } });
    }
    let used = 0;
    /** @type {[string, any][]} */
    const take = [];
    for (const member of members.slice(0, MAX_MEMBERS)) {
      const { size } = /** @type {any} */ (info.get(member));
      const full = `${name}:${member}`;
      if (size > MAX_BYTES) {
        take.push([member, { name: full, rejection: { reason: `the member is ${thousands(size)} bytes, more than the 5 MB ` +
          "limit for a submission.", fix: "Check that this is a submission file." } }]);
      } else if (used + size > MAX_ARCHIVE_BYTES) {
        take.push([member, { name: full, rejection: { reason: `the archive's members decompress to more than ` +
          `${thousands(MAX_ARCHIVE_BYTES)} bytes in all; the rest were not read.`, fix: "Split the class into smaller archives." } }]);
      } else {
        used += size;
        take.push([member, null]);
      }
    }
    const wantedNow = new Set(take.filter(([, v]) => v === null).map(([k]) => k));
    /** @type {Map<string, string>} why a member could not be unpacked */
    const damaged = new Map();
    /** @type {Record<string, Uint8Array>} */
    let got = {};
    try {
      got = Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => wantedNow.has(f.name) });
    } catch (_) { // one damaged member: read them one by one, to name it and keep the others
      for (const member of wantedNow) {
        try {
          Object.assign(got, Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => f.name === member }));
        } catch (error) {
          damaged.set(member, /** @type {any} */ (error).message);
        }
      }
    }
    for (const [member, entry] of take) {
      if (entry) { out.push(entry); continue; }
      if (damaged.has(member)) {
        out.push({ name: `${name}:${member}`, rejection: { reason: `the member is damaged (${damaged.get(member)}).`,
          fix: "Download the submissions again." } });
        continue;
      }
      const data = got[member];
      out.push(data ? { name: `${name}:${member}`, bytes: data, member: true }
        : { name: `${name}:${member}`, rejection: { reason: "the member cannot be read.", fix: "Download the submissions again." } });
    }
    if (members.length > MAX_MEMBERS) {
      out.push({ name, issue: { level: "rejected", message: `not graded: ${thousands(members.length - MAX_MEMBERS)} of ` +
        `its members, past the limit of ${thousands(MAX_MEMBERS)} submissions in one archive.`,
      fix: "Split the class into smaller archives." } });
    }
    return out;
  }

  /** A submission's bytes read and checked: a member as parse_submission checks it, a file as read_submission. */
  Object.assign(G, { readSubmission, expandInputs, FORMAT, MAX_BYTES });
})(/** @type {any} */ (globalThis));
