// Replay a Linked Data Event Stream from empty with ldes-client (rdf-connect's LDES client)
// in its ordered ascending mode, for tests/test_releases.py: one JSON line per member, in
// the order the client emits them, its quads as N-Quads lines.
import { replicateLDES, intoConfig } from "ldes-client";

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

function term(t) {
  if (t.termType === "NamedNode") return `<${t.value}>`;
  if (t.termType === "BlankNode") return `_:${t.value}`;
  const text = JSON.stringify(t.value);
  if (t.language) return `${text}@${t.language}`;
  return t.datatype.value === XSD_STRING ? text : `${text}^^<${t.datatype.value}>`;
}

function nquad(q) {
  const terms = [q.subject, q.predicate, q.object];
  if (q.graph.termType !== "DefaultGraph") terms.push(q.graph);
  return `${terms.map(term).join(" ")} .`;
}

const client = replicateLDES(intoConfig({ url: process.argv[2] }), "ascending");
const reader = client.stream({ highWaterMark: 10 }).getReader();
for (;;) {
  const { value: member, done } = await reader.read();
  if (done) break;
  const timestamp =
    member.timestamp instanceof Date ? member.timestamp.toISOString() : member.timestamp;
  const line = {
    id: member.id.value,
    timestamp,
    isVersionOf: member.isVersionOf,
    type: member.type?.value,
    quads: member.quads.map(nquad),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
