// Print, one a line and sorted, the keys of a JSON-LD document that jsonld.js drops because
// they map to nothing (what safe mode refuses), then try canonize() in its default safe mode
// and print its error, or "canonize: ok". Offline: every context is inline.
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const document = JSON.parse(readFileSync(process.argv[2], "utf8"));
const documentLoader = async (url) => {
  throw new Error(`no remote documents in tests: ${url}`);
};
const dropped = new Set();
const eventHandler = ({ event }) => {
  if (event.code !== "invalid property") throw new Error(`${event.code}: ${event.message}`);
  dropped.add(event.details.property);
};
await jsonld.toRDF(document, { documentLoader, eventHandler });
const lines = [...dropped].sort();
try {
  await jsonld.canonize(document, { documentLoader });
  lines.push("canonize: ok");
} catch (error) {
  lines.push(`canonize: ${error.message} ${error.details.event.details.property}`);
}
process.stdout.write(lines.map((line) => `${line}\n`).join(""));
