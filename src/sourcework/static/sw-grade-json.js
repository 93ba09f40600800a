// @ts-check
/**
 * sw-grade-json.js: reading a submission's bytes as Python reads them (core/submission.py's _parse): strict UTF-8
 * (the first bad byte's offset, as UnicodeDecodeError.start), and a JSON reader that fails where Python's json
 * module (3.11, its C scanner, with the grader's object_pairs_hook and parse_constant) fails and says it in its words
 * ("Expecting ',' delimiter", line and column counted in characters), refuses NaN and Infinity and repeated keys as
 * the hooks do, and integers of more than 4,300 digits as Python's int() does. It keeps where each top-level field
 * and each member of a top-level object is written, so an answer's compact JSON (the gradebook's response column) and
 * a field shown in a reason are written exactly as json.dumps writes what Python read (1.0 stays "1.0", 10**30 keeps
 * its digits). Used by sw-grade-admit.js; see sw-grade-core.js for the API.
 */
(function (root) {
  "use strict";

  const G = root.SourceworkGrader;
  const { repr } = G.py;

  const MAX_DEPTH = 900; // Python's own limit is its stack's (about 950 under the CLI)
  const MAX_INT_DIGITS = 4300; // sys.int_info.default_max_str_digits
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

  const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

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

  const ESCAPES = /** @type {Record<string, string>} */ ({ '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n",
    r: "\r", t: "\t" });
  const HEX4 = /^[0-9a-fA-F]{4}$/;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

  /** @param {string} s @param {number} i */
  function skip(s, i) {
    for (let c = s.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = s.charCodeAt(++i));
    return i;
  }

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

  G.json = { Invalid, DecodeError, Reader, dump, lineColumn, badUtf8, kind, floatText, stringText, STRICT, RESEND,
    MAX_DEPTH };
  Object.assign(G, { floatText, stringText, badUtf8 });
})(/** @type {any} */ (globalThis));
