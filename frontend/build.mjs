// Bundles src/editor.js and its CodeMirror packages into one minified file under static/, with the
// licences of every bundled package beside it. Run by `make editor` (needs Node and `npm ci`).
// The header records a sha256 of src/ and package-lock.json: tests/test_editor_bundle.py recomputes
// it, so a bundle that was not rebuilt after a change to its sources fails the tests.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, unlinkSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = join(here, "..", "static", "vendor", "codemirror");
const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]);
}

// Each file as its path (relative to frontend/, with "/"), a NUL, its bytes and a NUL, in path order.
function sourcesDigest() {
  const paths = files(join(here, "src")).map((path) => relative(here, path).split(sep).join("/")).sort();
  const hash = createHash("sha256");
  for (const path of [...paths, "package-lock.json"]) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(here, path)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function packageOf(input) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match && match[1];
}

function licences(inputs) {
  const names = [...new Set(Object.keys(inputs).map(packageOf).filter(Boolean))].sort();
  return names.map((name) => {
    const dir = join(here, "node_modules", name);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : `${meta.license} (no licence file shipped)`;
    return `${meta.name} ${meta.version} (${meta.license})\n\n${text}\n`;
  }).join(`\n${"-".repeat(72)}\n\n`);
}

const result = await build({
  entryPoints: [join(here, "src", "editor.js")],
  bundle: true, minify: true, format: "iife", target: ["es2020"], legalComments: "none",
  write: false, metafile: true, logLevel: "warning",
});
mkdirSync(out, { recursive: true });
for (const old of readdirSync(out).filter((name) => /^podspec-editor-.*\.js$/.test(name))) unlinkSync(join(out, old));
const name = `podspec-editor-${version}.js`;
const header = `/* ${name}: CodeMirror 6 and frontend/src, bundled by frontend/build.mjs; licences in LICENSES.txt. sources-sha256:${sourcesDigest()} */\n`;
writeFileSync(join(out, name), header + result.outputFiles[0].text);
writeFileSync(join(out, "LICENSES.txt"),
  `The packages bundled into ${name} and their licences.\n\n${licences(result.metafile.inputs)}`);
console.log(`wrote static/vendor/codemirror/${name} (${(header.length + result.outputFiles[0].contents.length)} bytes)`);
