// Expand a JSON-LD document whose @context is nualod's context IRI with jsonld.js and print
// its triples as N-Quads. The context is fetched over HTTP by jsonld.js's own node document
// loader (its Accept header, its redirects, its reading of the Content-Type), from the
// server given as the second argument, which stands for https://w3id.org/nualod/: any
// other remote document is refused.
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const W3ID = "https://w3id.org/nualod/";
const [, , file, served] = process.argv;
const document = JSON.parse(readFileSync(file, "utf8"));
const overHttp = jsonld.documentLoaders.node();
const documentLoader = async (url) => {
  if (!url.startsWith(W3ID)) {
    throw new Error(`no remote documents in tests but nualod's: ${url}`);
  }
  return overHttp(served + url.slice(W3ID.length));
};
const nquads = await jsonld.toRDF(document, {
  format: "application/n-quads",
  documentLoader,
  safe: true,
});
process.stdout.write(nquads);
