// The esbuild entry of static/sw-zip.js, which `make minify` bundles (sourcework.sphinx_ext.assets.write_bundles)
// with fflate's own LICENSE as the bundle's first comment. It exposes fflate's synchronous calls, unchanged, as
// window.SourceworkZip for the class-grading page (sw-grade-admit.js reads LMS archives with unzipSync; the page
// writes the feedback zip with zipSync):
//   unzipSync(bytes, {filter({name, size, originalSize, compression}) -> boolean}) -> {name: Uint8Array}
//   zipSync({name: Uint8Array}, {level}) -> Uint8Array
//   strToU8(text) -> Uint8Array (UTF-8), strFromU8(bytes, latin1?) -> string
// esbuild drops the rest of fflate (gzip, zlib, the streaming classes): nothing here refers to them.
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

globalThis.SourceworkZip = { unzipSync, zipSync, strToU8, strFromU8 };
