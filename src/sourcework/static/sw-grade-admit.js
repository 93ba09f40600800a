// @ts-check
/**
 * sw-grade-admit.js: which submissions the teacher's inputs hold (grader/admit.py's expand and Reader) and each one
 * read and checked (core/submission.py's parse_submission), with the same limits and the same reasons.
 *
 * The JSON reader here fails where Python's json module fails and says it in its words ("Expecting ',' delimiter",
 * line and column counted in characters), refuses NaN and Infinity and repeated keys as the grader's hooks do, and
 * refuses integers of more than 4,300 digits as Python's int() does. It also keeps where each top-level field and
 * each answer is written, so an answer's compact JSON (the gradebook's response column) and a field shown in a
 * reason are written exactly as Python's json.dumps writes them (1.0 stays "1.0", 10**30 keeps its digits).
 * Archives are read with fflate (sw-zip.js); see sw-grade-core.js for the API and the known differences.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const { repr, thousands, compare } = G.py;

  const FORMAT = "sourcework-submission/1";
  const MAX_BYTES = 5 * 1024 * 1024;
  const MAX_MEMBERS = 20000;
  const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;
  const MAX_DEPTH = 900; // Python's own limit is its stack's (about 950 under the CLI)
  const MAX_INT_DIGITS = 4300; // sys.int_info.default_max_str_digits
  const FIELDS = ["format", "book", "content_hash", "item_hashes", "edition", "student", "exported_at", "answers"];
  const EDITIONS = ["practice", "assessment", "instructor"];
  const RESEND = "Ask the student to download the submission file again from the book and send it unchanged.";

  /** core.submission._Invalid: a file that cannot be graded. */
  class Invalid extends Error {
    /** @param {string} reason @param {string} [fix] */
    constructor(reason, fix = "") { super(reason); this.reason = reason; this.fix = fix; }
  }
  /** json.JSONDecodeError: msg at the character index pos. */
  class DecodeError extends Error {
    /** @param {string} msg @param {number} pos */
    constructor(msg, pos) { super(msg); this.msg = msg; this.pos = pos; }
  }
  /** StopIteration(idx) in Python's scanner: no value starts at pos. */
  class NoValue extends Error {
    /** @param {number} pos */
    constructor(pos) { super("no value"); this.pos = pos; }
  }

  // -------------------------------------------------------------------------------------------- UTF-8, strictly

  /** The index of the first byte that is not valid UTF-8 (Python's UnicodeDecodeError.start), or -1. @param {Uint8Array} b */
  function badUtf8(b) {
    for (let i = 0; i < b.length;) {
      const c = b[i];
      if (c < 0x80) { i += 1; continue; }
      let n = 0; let lo = 0x80; let hi = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) n = 1;
      else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
      else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
      else return i;
      if (i + 1 >= b.length || b[i + 1] < lo || b[i + 1] > hi) return i;
      for (let k = 2; k <= n; k++) if (i + k >= b.length || b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
      i += n + 1;
    }
    return -1;
  }

  // -------------------------------------------------------------------------------------------- JSON, as Python

  const WS = new Set([" ", "\t", "\n", "\r"]);
  const ESCAPES = /** @type {Record<string, string>} */ ({ '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n",
    r: "\r", t: "\t" });
  const HEX4 = /^[0-9a-fA-F]{4}$/;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

  /** @param {string} s @param {number} i */
  const skip = (s, i) => { while (i < s.length && WS.has(s[i])) i++; return i; };

  /**
   * Read a JSON string whose opening quote is at begin - 1 (scanstring, strict): [value, index after it].
   * @param {string} s @param {number} end
   * @returns {[string, number]}
   */
  function scanString(s, end) {
    const begin = end - 1;
    let out = "";
    for (;;) {
      let next = end;
      let c = "";
      for (; next < s.length; next++) {
        c = s[next];
        if (c === '"' || c === "\\") break;
        if (c.charCodeAt(0) <= 0x1f) throw new DecodeError("Invalid control character at", next);
      }
      if (next >= s.length) throw new DecodeError("Unterminated string starting at", begin);
      out += s.slice(end, next);
      if (c === '"') return [out, next + 1];
      next += 1;
      if (next >= s.length) throw new DecodeError("Unterminated string starting at", begin);
      c = s[next];
      if (c !== "u") {
        if (!Object.prototype.hasOwnProperty.call(ESCAPES, c)) throw new DecodeError("Invalid \\escape", next - 1);
        out += ESCAPES[c];
        end = next + 1;
        continue;
      }
      // Python's scanner (3.11, C) reports a bad escape at its "u", and wants a character after the 4 digits
      const digits = s.slice(next + 1, next + 5);
      if (next + 5 >= s.length || !HEX4.test(digits)) throw new DecodeError("Invalid \\uXXXX escape", next);
      let code = parseInt(digits, 16);
      end = next + 5;
      if (code >= 0xd800 && code <= 0xdbff && end + 6 < s.length && s[end] === "\\" && s[end + 1] === "u") {
        const low = s.slice(end + 2, end + 6);
        if (!HEX4.test(low)) throw new DecodeError("Invalid \\uXXXX escape", end + 1);
        const second = parseInt(low, 16);
        if (second >= 0xdc00 && second <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (second - 0xdc00);
          end += 6;
        }
      }
      out += String.fromCodePoint(code);
    }
  }

  /**
   * Python's json reader (with the grader's object_pairs_hook and parse_constant), building JS values, and keeping
   * where each member of the top-level object and of its member objects is written (`spans`).
   */
  class Reader {
    /** @param {string} s */
    constructor(s) {
      this.s = s;
      /** @type {Map<string, [number, number]>} top-level key → its value's [start, end) */
      this.top = new Map();
      /** @type {Map<string, Map<string, [number, number]>>} top-level key → member key → span */
      this.inner = new Map();
    }

    /** @param {number} i @param {number} depth @param {Map<string, [number, number]> | null} spans */
    value(i, depth, spans = null) {
      const s = this.s;
      if (i >= s.length) throw new NoValue(i);
      const c = s[i];
      if (c === '"') return scanString(s, i + 1);
      if (c === "{" || c === "[") {
        if (depth >= MAX_DEPTH) throw new Invalid("the file's JSON is nested too deeply to be a submission.", RESEND);
        return c === "{" ? this.object(i + 1, depth + 1, spans) : this.array(i + 1, depth + 1);
      }
      if (s.startsWith("null", i)) return [null, i + 4];
      if (s.startsWith("true", i)) return [true, i + 4];
      if (s.startsWith("false", i)) return [false, i + 5];
      for (const word of ["NaN", "Infinity", "-Infinity"]) {
        if (s.startsWith(word, i)) {
          throw new Invalid(`the file contains ${word}, which is not valid JSON.`, "Ask the student to download it again.");
        }
      }
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m) throw new NoValue(i);
      const text = m[0];
      if (!m[1] && !m[2]) {
        const digits = text.replace("-", "").length;
        if (digits > MAX_INT_DIGITS) {
          throw new Invalid(`the file is not valid JSON (Exceeds the limit (${MAX_INT_DIGITS} digits) for integer ` +
            `string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit).`,
          RESEND);
        }
      }
      return [Number(text), i + text.length];
    }

    /** @param {number} i @param {number} depth @param {Map<string, [number, number]> | null} spans */
    object(i, depth, spans) {
      const s = this.s;
      /** @type {Record<string, any>} */
      const obj = {};
      /** @type {string[]} */
      const keys = [];
      i = skip(s, i);
      if (i < s.length && s[i] === "}") return [obj, i + 1];
      for (;;) {
        if (i >= s.length || s[i] !== '"') {
          throw new DecodeError("Expecting property name enclosed in double quotes", i);
        }
        const [key, afterKey] = scanString(s, i + 1);
        i = skip(s, afterKey);
        if (i >= s.length || s[i] !== ":") throw new DecodeError("Expecting ':' delimiter", i);
        i = skip(s, i + 1);
        /** @type {Map<string, [number, number]> | null} */
        let innerSpans = null;
        if (depth === 1) {
          innerSpans = new Map();
          if (!this.inner.has(key)) this.inner.set(key, innerSpans);
        }
        const [value, end] = this.value(i, depth, innerSpans);
        if (spans && !spans.has(key)) spans.set(key, [i, end]);
        if (depth === 1 && !this.top.has(key)) this.top.set(key, [i, end]);
        keys.push(key);
        if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        else obj[key] = value;
        i = skip(s, end);
        if (i < s.length && s[i] === "}") { i += 1; break; }
        if (i >= s.length || s[i] !== ",") throw new DecodeError("Expecting ',' delimiter", i);
        i = skip(s, i + 1);
      }
      if (Object.keys(obj).length !== keys.length) {
        const seen = new Set();
        for (const key of keys) {
          if (seen.has(key)) {
            throw new Invalid(`the key ${repr(key)} appears twice in one JSON object, so it is unclear which ` +
              "value counts.", "Remove one of them, or ask the student to download the file again.");
          }
          seen.add(key);
        }
      }
      return [obj, i];
    }

    /** @param {number} i @param {number} depth */
    array(i, depth) {
      const s = this.s;
      /** @type {unknown[]} */
      const list = [];
      i = skip(s, i);
      if (i < s.length && s[i] === "]") return [list, i + 1];
      for (;;) {
        const [value, end] = this.value(i, depth);
        list.push(value);
        i = skip(s, end);
        if (i < s.length && s[i] === "]") return [list, i + 1];
        if (i >= s.length || s[i] !== ",") throw new DecodeError("Expecting ',' delimiter", i);
        i = skip(s, i + 1);
      }
    }

    decode() {
      const s = this.s;
      let i = skip(s, 0);
      let value;
      try {
        [value, i] = this.value(i, 0);
      } catch (error) {
        if (error instanceof NoValue) throw new DecodeError("Expecting value", error.pos);
        throw error;
      }
      i = skip(s, i);
      if (i !== s.length) throw new DecodeError("Extra data", i);
      return value;
    }
  }

  /** Python's repr() of a float, as json.dumps writes it. @param {number} x */
  function floatText(x) {
    if (x === Infinity) return "Infinity";
    if (x === -Infinity) return "-Infinity";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const [mantissa, exp] = Math.abs(x).toExponential().split("e");
    const digits = mantissa.replace(".", "");
    const point = Number(exp) + 1; // digits[0] is before the point when point == 1
    const sign = x < 0 ? "-" : "";
    if (point > -4 && point <= 16) {
      if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
      if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
      return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
    }
    const e = point - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }

  /** json.dumps's string (ensure_ascii=False). @param {string} s */
  const stringText = (s) => '"' + s.replace(/["\\\u0000-\u001f]/g, (c) => ({ '"': '\\"', "\\": "\\\\", "\n": "\\n",
    "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" })[c] || "\\u" + G.py.hex(c.charCodeAt(0), 4)) + '"';

  /**
   * The JSON written at s[i...] (already checked) as json.dumps(value, ensure_ascii=False, separators=sep) writes
   * the value Python read from it: [text, index after it].
   * @param {string} s @param {number} i @param {[string, string]} sep @returns {[string, number]}
   */
  function dump(s, i, sep) {
    const c = s[i];
    if (c === '"') {
      const [value, end] = scanString(s, i + 1);
      return [stringText(value), end];
    }
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      const parts = [];
      i = skip(s, i + 1);
      if (s[i] === close) return [c + close, i + 1];
      for (;;) {
        let part = "";
        if (c === "{") {
          const [key, afterKey] = scanString(s, i + 1);
          part = stringText(key) + sep[1];
          i = skip(s, skip(s, afterKey) + 1);
        }
        const [text, end] = dump(s, i, sep);
        parts.push(part + text);
        i = skip(s, end);
        if (s[i] === close) return [c + parts.join(sep[0]) + close, i + 1];
        i = skip(s, i + 1);
      }
    }
    for (const word of ["null", "true", "false"]) if (s.startsWith(word, i)) return [word, i + word.length];
    NUMBER.lastIndex = i;
    const m = /** @type {RegExpExecArray} */ (NUMBER.exec(s));
    const text = m[1] || m[2] ? floatText(Number(m[0])) : BigInt(m[0]).toString();
    return [text, i + m[0].length];
  }

  /** The character (code point) line and column of JS index pos, as JSONDecodeError counts them. @param {string} s @param {number} pos */
  function lineColumn(s, pos) {
    const before = s.slice(0, pos);
    const last = before.lastIndexOf("\n");
    let line = 1;
    for (let k = before.indexOf("\n"); k !== -1; k = before.indexOf("\n", k + 1)) line += 1;
    return [line, G.py.len(before.slice(last + 1)) + 1];
  }

  /** core.submission._kind. @param {unknown} v */
  function kind(v) {
    if (v === null) return "null";
    if (typeof v === "boolean") return "true/false";
    if (typeof v === "number") return "number";
    if (typeof v === "string") return "string";
    return Array.isArray(v) ? "array" : "object";
  }

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
    const bad = badUtf8(body);
    if (bad !== -1) {
      throw new Invalid(`the file is not UTF-8 text (undecodable byte at position ${bad}).`,
        "If it was edited by hand, re-save it as UTF-8. " + RESEND);
    }
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);
    if (!G.py.strip(text)) throw new Invalid("the file is empty.", RESEND);
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
      throw new Invalid("the student id is empty, so the grade could not be matched to a student.",
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
    /** @type {Map<string, {size: number, compression: number}>} */
    const info = new Map();
    try {
      Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => {
        if (!f.name.endsWith("/") && wanted(f.name)) info.set(f.name, { size: f.originalSize, compression: f.compression });
        return false;
      } });
    } catch (error) {
      return [{ name, issue: { level: "rejected", message: "not graded: the archive cannot be opened (File is not a " +
        "zip file).", fix: "Download the submissions from the LMS again, or unzip them and give the folder." } }];
    }
    const members = [...info.keys()].sort(compare);
    /** @type {any[]} */
    const out = [];
    if (!members.length) {
      out.push({ name, issue: { level: "warning", message: "the archive holds no .json files; nothing in it was graded.", fix: "" } });
    }
    let used = 0;
    /** @type {Map<string, any>} */
    const take = new Map();
    for (const member of members.slice(0, MAX_MEMBERS)) {
      const { size } = /** @type {any} */ (info.get(member));
      const full = `${name}:${member}`;
      if (size > MAX_BYTES) {
        take.set(member, { name: full, rejection: { reason: `the member is ${thousands(size)} bytes, more than the 5 MB ` +
          "limit for a submission.", fix: "Check that this is a submission file." } });
      } else if (used + size > MAX_ARCHIVE_BYTES) {
        take.set(member, { name: full, rejection: { reason: `the archive's members decompress to more than ` +
          `${thousands(MAX_ARCHIVE_BYTES)} bytes in all; the rest were not read.`, fix: "Split the class into smaller archives." } });
      } else {
        used += size;
        take.set(member, null);
      }
    }
    const wantedNow = new Set([...take].filter(([, v]) => v === null).map(([k]) => k));
    /** @type {Record<string, Uint8Array>} */
    let got = {};
    try {
      got = Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => wantedNow.has(f.name) });
    } catch (_) { // one damaged member: read them one by one, to name it and keep the others
      for (const member of wantedNow) {
        try {
          Object.assign(got, Z.unzipSync(bytes, { filter: (/** @type {any} */ f) => f.name === member }));
        } catch (error) {
          take.set(member, { name: `${name}:${member}`, rejection: { reason: `the member is damaged (${
            /** @type {any} */ (error).message}).`, fix: "Download the submissions again." } });
        }
      }
    }
    for (const [member, entry] of take) {
      if (entry) { out.push(entry); continue; }
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
  Object.assign(G, { readSubmission, expandInputs, floatText, stringText, badUtf8, FORMAT, MAX_BYTES });
})(/** @type {any} */ (globalThis));
