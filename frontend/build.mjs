// One bundling step: esbuild turns src/*.js into minified IIFE bundles (+ their CSS) in
// api/static/vendor/, and the license text of every package that ends up in a bundle is
// collected into api/static/vendor/LICENSES.txt. Run with `npm ci && npm run build`.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "api", "static", "vendor");
mkdirSync(out, { recursive: true });

const bundles = { yasgui: "src/yasgui.js", "cypher-editor": "src/cypher.js" };
const used = new Set();

for (const [name, entry] of Object.entries(bundles)) {
  const result = await build({
    entryPoints: { [name]: join(here, entry) },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outdir: out,
    metafile: true,
    legalComments: "none", // collected in LICENSES.txt instead
    logLevel: "warning",
    // No source maps and no absolute paths: the output depends on the lock file only.
    sourcemap: false,
    absWorkingDir: here,
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    const parts = input.split("/");
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) continue;
    const scoped = parts[at + 1].startsWith("@");
    used.add(parts.slice(at + 1, at + (scoped ? 3 : 2)).join("/"));
  }
}

// @zazuko/* dist files inline their own dependencies, so the license set is the closure of
// the bundled packages' production dependencies (a superset of what the bundles contain).
function closure(pkgs) {
  const seen = new Set();
  const todo = [...pkgs];
  while (todo.length) {
    const pkg = todo.pop();
    if (seen.has(pkg)) continue;
    seen.add(pkg);
    const meta = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));
    for (const dep of Object.keys(meta.dependencies || {})) {
      if (existsSync(join(here, "node_modules", dep, "package.json"))) todo.push(dep);
    }
  }
  return seen;
}

// Packages that ship no license file: their package.json names the license; the text is in
// frontend/licenses/ with where it comes from.
const fallback = {
  "@zazuko/": "zazuko-yasgui.txt",
  "@neo4j-cypher/": "neo4j-cypher.txt",
  "@json2csv/": "json2csv.txt",
  antlr4: "antlr4.txt",
  "string-hash": "string-hash.txt",
};

function licenseText(pkg) {
  const dir = join(here, "node_modules", pkg);
  const files = readdirSync(dir).filter((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (files.length) return files.map((f) => readFileSync(join(dir, f), "utf8").trim()).join("\n\n");
  const key = Object.keys(fallback).find((k) => pkg === k || (k.endsWith("/") && pkg.startsWith(k)));
  if (key) return readFileSync(join(here, "licenses", fallback[key]), "utf8").trim();
  throw new Error(`no license text for ${pkg}: add one to frontend/licenses/ and build.mjs`);
}

const sections = [...closure(used)].sort().map((pkg) => {
  const meta = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));
  const head = `${meta.name} ${meta.version} — ${meta.license || "see text"}`;
  return `${"=".repeat(78)}\n${head}\n${"=".repeat(78)}\n\n${licenseText(pkg)}\n`;
});
writeFileSync(
  join(out, "LICENSES.txt"),
  "Third-party code in yasgui.js / yasgui.css / cypher-editor.js / cypher-editor.css,\n" +
    "built by frontend/build.mjs from the versions pinned in frontend/package-lock.json.\n\n" +
    sections.join("\n"),
);
console.log(`${sections.length} packages bundled into ${relative(process.cwd(), out).split(sep).join("/")}`);
