// Expand a JSON-LD document with jsonld.js and print its triples as N-Quads, offline:
// every context is inline, so any remote document is refused. With --safe, a key or value
// that maps to nothing is an error (nualod.jsonld has none; practices.json maps the keys
// that are only for people, such as coordinates, to null on purpose).
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const document = JSON.parse(readFileSync(process.argv[2], "utf8"));
const refuse = async (url) => {
  throw new Error(`no remote documents in tests: ${url}`);
};
const nquads = await jsonld.toRDF(document, {
  format: "application/n-quads",
  documentLoader: refuse,
  safe: process.argv.includes("--safe"),
});
process.stdout.write(nquads);
