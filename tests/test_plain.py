"""nualod.model.triples against pyoxigraph and rdflib: its N-Triples and Turtle are the triples given.

The dumps are written by nualod.model.triples, not by an RDF library, for speed. So its N-Triples
must be byte for byte what pyoxigraph writes for the same triples, and its Turtle must
parse, with pyoxigraph and with rdflib, to exactly those triples. Both are checked on the
triples a run really writes (the fixed graphs, the bundled example pages) and on a seeded
random set of literals and blank nodes chosen to hit every escape.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize
from rdflib.compare import isomorphic

from nualod.link.practice import link_practice
from nualod.map.graphs import fixed_graphs
from nualod.map.practice import practice_triples
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import DCTERMS, NUA, PREFIXES, SKOS, XSD
from nualod.model.records import Practice
from nualod.model.terms import RDF_TYPE, XSD_STRING
from nualod.model.triples import AnyTriple, PlainTriple, TermTriple, plain_triples, quoted
from nualod.read.inputs import read_inputs
from nualod.write.dumps import turtle_prefix_header
from nualod.write.jsonld import dumps_node, node_line, node_object
from nualod.write.text import TurtleWriter, ntriples_text

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "pages"
IRIS = DataIRIs()
#: The prefixes of the Turtle dump, as nualod.run.publish gives them.
DUMP_PREFIXES = {**PREFIXES, **IRIS.prefixes()}
REGION = IRIS.prefixes()["region"]
PRACTICE = IRIS.prefixes()["practice"]
CUSTOM_DATATYPE = "https://example.org/datatype/kode-wilayah"

Groups = list[list[AnyTriple]]


def fixed_groups() -> Groups:
    return [group for _, groups in fixed_graphs(IRIS) for group in groups]


def example_groups() -> Groups:
    results = list(read_inputs([EXAMPLES]))
    practices = [result for result in results if isinstance(result, Practice)]
    assert practices == results  # every bundled example reads
    return [list(practice_triples(link_practice(p), IRIS)) for p in practices]


#: Characters every escape rule of N-Triples and Turtle meets: all of C0, ASCII and C1, the
#: Unicode line and paragraph separators, spaces str.isprintable() refuses, and a few
#: letters beyond the BMP. quoted() takes different paths for printable text, text with
#: only \n \r \t, and text with rarer control characters, so all three are mixed in.
SPECIAL = [chr(code) for code in range(0xA0)] + ["\u2028", "\u2029", "\xa0", "\ufeff", "é", "😀"]
TRICKY = ['"', "\\", '\\"', "\\u0041", '"""', "''", "\\n", " . ", " .\n"]


def random_groups() -> Groups:
    """Return a seeded set of literal and blank node triples, in groups of a few subjects."""
    rng = random.Random(20251218)
    texts = [f"a{char}b" for char in SPECIAL] + SPECIAL + TRICKY + [""]
    for _ in range(300):
        texts.append("".join(rng.choice(SPECIAL + TRICKY) for _ in range(rng.randint(1, 30))))
    letters = [*SPECIAL, *"abcdefghij klmnopq"] * 3
    long_text = "".join(rng.choice(letters) for _ in range(3500))
    texts += [long_text, long_text.replace("\n", "").replace("\r", ""), "Kota " * 800]
    assert all(len(text) > 3000 for text in texts[-3:])
    assert "\n" in texts[-3] and "\n" not in texts[-2] and "\n" not in texts[-1]

    objects: list[Literal | NamedNode | BlankNode] = []
    for index, text in enumerate(texts):
        objects.append(Literal(text))
        objects.append(Literal(text, language=("id", "en", "en-gb")[index % 3]))
        objects.append(Literal(text, datatype=NamedNode(CUSTOM_DATATYPE)))
    objects += [
        Literal("2025-12-18", datatype=NamedNode(XSD + "date")),
        Literal("-42", datatype=NamedNode(XSD + "integer")),
        Literal("true", datatype=NamedNode(XSD + "boolean")),
        Literal("false", datatype=NamedNode(XSD + "boolean")),
        Literal("33.75", datatype=NamedNode(XSD_STRING)),
        BlankNode("b0"),
        BlankNode("0a1b"),
        NamedNode(REGION + "33.75"),
        NamedNode(SKOS + "Concept"),
    ]
    subjects: list[NamedNode | BlankNode] = [
        NamedNode(PRACTICE + "10-47-33.75-abc"),
        NamedNode(REGION + "33.75"),
        NamedNode("https://example.org/thing/with%20space"),
        BlankNode("b0"),
        BlankNode("0a1b"),
    ]
    predicates = [
        NamedNode(RDF_TYPE),
        NamedNode(DCTERMS + "description"),
        NamedNode(NUA + "tagline"),
        NamedNode("https://example.org/p#x-y"),
    ]
    groups: Groups = []
    triples = [
        Triple(rng.choice(subjects), rng.choice(predicates), obj)
        for obj in rng.sample(objects, len(objects))
    ]
    # Groups sorted by subject and predicate, as the dumps write them, so that ";" and ","
    # both occur; one left unsorted, where a subject returns after another.
    for start in range(0, len(triples), 12):
        group: list[AnyTriple] = list(triples[start : start + 12])
        if start:
            group.sort(key=lambda t: (str(t.subject), str(t.predicate)))
        groups.append(group)
    return groups


INPUTS = {"fixed graphs": fixed_groups, "examples": example_groups, "random": random_groups}


@pytest.fixture(scope="module", params=list(INPUTS))
def groups(request: pytest.FixtureRequest) -> Groups:
    built: Groups = INPUTS[request.param]()
    assert len(built) >= 3
    return built


def as_triple(triple: AnyTriple) -> Triple:
    return triple if isinstance(triple, Triple) else Triple(*triple)


def test_the_inputs_cover_what_they_should() -> None:
    fixed = fixed_groups()
    assert len(fixed) > 1000
    assert any(isinstance(t, TermTriple) for g in fixed for t in g)  # regions, mapped
    assert any(isinstance(t, Triple) for g in fixed for t in g)  # shipped Turtle, parsed
    objects = [as_triple(t).object for g in random_groups() for t in g]
    lexical = "".join(o.value for o in objects if isinstance(o, Literal))
    assert set(SPECIAL) <= set(lexical)
    assert {o.datatype.value for o in objects if isinstance(o, Literal)} >= {
        XSD + "date",
        XSD + "integer",
        XSD + "boolean",
        XSD_STRING,
        CUSTOM_DATATYPE,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
    triples = [as_triple(t) for g in random_groups() for t in g]
    assert any(isinstance(t.subject, BlankNode) for t in triples)
    assert any(isinstance(t.object, BlankNode) for t in triples)
    assert any(isinstance(o, Literal) and len(o.value) > 3000 for o in objects)


def test_ntriples_are_byte_for_byte_those_of_pyoxigraph(groups: Groups) -> None:
    # Group by group, as the dumps are written.
    for group in groups:
        ours = ntriples_text(plain_triples(group)).encode()
        assert ours == serialize([as_triple(t) for t in group], format=RdfFormat.N_TRIPLES)


def test_plain_triples_read_term_triples_as_triples(groups: Groups) -> None:
    for group in groups:
        assert plain_triples([TermTriple(*t) for t in group]) == plain_triples(
            [as_triple(t) for t in group]
        )


def turtle_document(groups: Groups) -> str:
    """Return the groups as a Turtle dump writes them: prefixes, then one writer's statements."""
    writer = TurtleWriter(DUMP_PREFIXES)
    return turtle_prefix_header(DUMP_PREFIXES) + "".join(
        "\n" + writer.statements(plain_triples(group)) for group in groups
    )


def to_rdflib(term: object) -> rdflib.term.Identifier:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)  # rdflib reads "x" as a literal with no datatype
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def from_rdflib(term: rdflib.term.Node) -> NamedNode | Literal:
    """Return an rdflib IRI or literal as pyoxigraph's, lexical form as it was parsed."""
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype or XSD_STRING)))


def triple_from_rdflib(s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node) -> Triple:
    assert isinstance(s, rdflib.URIRef) and isinstance(p, rdflib.URIRef)
    return Triple(NamedNode(str(s)), NamedNode(str(p)), from_rdflib(o))


def test_turtle_parses_to_the_same_triples_with_pyoxigraph(groups: Groups) -> None:
    # pyoxigraph keeps blank node labels and yields every statement, repeats included.
    expected = Counter(as_triple(t) for group in groups for t in group)
    parsed = Counter(
        quad.triple for quad in parse(turtle_document(groups), format=RdfFormat.TURTLE)
    )
    assert parsed == expected


def test_turtle_parses_to_the_same_triples_with_rdflib(
    groups: Groups, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rdflib rewrites lexical forms to canonical ones by default ("...28.295+01:00" becomes
    # "...28.295000+01:00"); the writer must be shown to keep them, so rdflib must too.
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    expected = {as_triple(t) for group in groups for t in group}
    parsed = rdflib.Graph().parse(data=turtle_document(groups), format="turtle")
    assert len(parsed) == len(expected)
    # rdflib renames blank nodes, so triples with one compare as a graph (isomorphism);
    # the rest compare exactly, lexical forms as parsed.
    with_blank = [
        t for t in expected if isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)
    ]
    without_blank = {
        triple_from_rdflib(s, p, o)
        for s, p, o in parsed
        if not isinstance(s, rdflib.BNode) and not isinstance(o, rdflib.BNode)
    }
    assert without_blank == expected - set(with_blank)
    blank_graph = rdflib.Graph()
    for triple in with_blank:
        blank_graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    parsed_blank = rdflib.Graph()
    for s, p, o in parsed:
        if isinstance(s, rdflib.BNode) or isinstance(o, rdflib.BNode):
            parsed_blank.add((s, p, o))
    assert isomorphic(parsed_blank, blank_graph)


# -- the Turtle writer, case by case ------------------------------------------------------

TARGETED_PREFIXES = {
    "region": REGION,
    "practice": PRACTICE,
    "nua": NUA,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "xsd": XSD,
}


@pytest.mark.parametrize(
    ("iri", "turtle"),
    [
        (REGION + "33.75", "region:33.75"),
        (PRACTICE + "10-47-33.75-abc", "practice:10-47-33.75-abc"),
        (REGION + "_x", "region:_x"),
        (REGION + "a-", "region:a-"),
        (REGION + "a.b_c", "region:a.b_c"),
        (NUA + "Practice", "nua:Practice"),
        (DCTERMS + "title", "dcterms:title"),
    ],
)
def test_a_safe_local_name_is_prefixed(iri: str, turtle: str) -> None:
    assert TurtleWriter(TARGETED_PREFIXES).iri(iri) == turtle


@pytest.mark.parametrize(
    "iri",
    [
        REGION,  # an empty local name
        REGION + "33/75",  # a '/': the namespace would be .../region/33/
        REGION + "a%20b",
        REGION + "a~b",
        REGION + "a:b",
        REGION + "-a",
        REGION + "a.",
        REGION + "Kota-Bogor-é",
        REGION + "é",
        NUA + "a/b",  # after the '#', a '/'
        "https://example.org/unknown/x",  # no prefix for its namespace
        "https://w3id.org/nualod/id/regions/x",  # a namespace that only starts like one
    ],
)
def test_an_unsafe_local_name_is_written_whole(iri: str) -> None:
    writer = TurtleWriter(TARGETED_PREFIXES)
    assert writer.iri(iri) == f"<{iri}>"
    assert writer.iri(iri) == f"<{iri}>"  # the second time, from the writer's cache


def test_every_targeted_iri_parses_back_to_itself() -> None:
    # Whether prefixed or whole, each IRI in each position reads back as itself.
    iris = [
        REGION + local
        for local in [
            "33.75",
            "_x",
            "a-",
            "a.b_c",
            "",
            "33/75",
            "a%20b",
            "a~b",
            "a:b",
            "-a",
            "a.",
            "é",
        ]
    ]
    triples = [Triple(NamedNode(i), NamedNode(i), NamedNode(i)) for i in iris]
    writer = TurtleWriter(TARGETED_PREFIXES)
    document = turtle_prefix_header(TARGETED_PREFIXES) + writer.statements(plain_triples(triples))
    assert [q.triple for q in parse(document, format=RdfFormat.TURTLE)] == triples
    graph = rdflib.Graph().parse(data=document, format="turtle")
    assert sorted(tuple(map(str, t)) for t in graph) == sorted((i, i, i) for i in iris)


def triple(subject: str, predicate: str, obj: NamedNode | BlankNode | Literal) -> Triple:
    node = BlankNode(subject[2:]) if subject.startswith("_:") else NamedNode(subject)
    return Triple(node, NamedNode(predicate), obj)


def test_statements_merge_a_subject_with_semicolons_and_a_predicate_with_commas() -> None:
    city = REGION + "33.75"
    triples = [
        triple(city, RDF_TYPE, NamedNode(SKOS + "Concept")),
        triple(city, RDF_TYPE, NamedNode(NUA + "City")),
        triple(city, DCTERMS + "title", Literal("Kota Pekalongan", language="id")),
        triple(city, DCTERMS + "title", Literal("Pekalongan City", language="en")),
        triple(city, DCTERMS + "identifier", Literal("33.75")),
        triple("_:b1", DCTERMS + "date", Literal("2025-12-18", datatype=NamedNode(XSD + "date"))),
        triple("_:b1", RDF_TYPE, NamedNode(city)),  # rdf:type as a predicate only is "a"
        triple(city, DCTERMS + "relation", BlankNode("b1")),  # the subject again: new statement
        triple(
            city, SKOS + "note", Literal('Kota "Batik"\n\\', datatype=NamedNode(CUSTOM_DATATYPE))
        ),
    ]
    text = TurtleWriter(TARGETED_PREFIXES).statements(plain_triples(triples))
    assert text == (
        "region:33.75 a skos:Concept , nua:City ;\n"
        '\tdcterms:title "Kota Pekalongan"@id , "Pekalongan City"@en ;\n'
        '\tdcterms:identifier "33.75" .\n'
        '_:b1 dcterms:date "2025-12-18"^^xsd:date ;\n'
        "\ta region:33.75 .\n"
        "region:33.75 dcterms:relation _:b1 ;\n"
        f'\tskos:note "Kota \\"Batik\\"\\n\\\\"^^<{CUSTOM_DATATYPE}> .\n'
    )
    document = turtle_prefix_header(TARGETED_PREFIXES) + text
    assert {q.triple for q in parse(document, format=RdfFormat.TURTLE)} == set(triples)


def test_rdf_type_is_written_a_only_as_a_predicate() -> None:
    rdf_type = NamedNode(RDF_TYPE)
    triples = [Triple(rdf_type, rdf_type, rdf_type)]
    assert TurtleWriter({}).statements(plain_triples(triples)) == f"<{RDF_TYPE}> a <{RDF_TYPE}> .\n"


def test_no_triples_no_statements() -> None:
    assert TurtleWriter(TARGETED_PREFIXES).statements([]) == ""
    assert ntriples_text([]) == ""


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("", '""'),
        ("Kota Batik", '"Kota Batik"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("a\nb\rc\td", '"a\\nb\\rc\\td"'),
        ("\x00\x08\x0b\x0c\x1f\x7f", '"\\u0000\\b\\u000B\\f\\u001F\\u007F"'),
        ("\x85\xa0\u2028\x9f", '"\x85\xa0\u2028\x9f"'),  # not escaped: not ASCII controls
        ("\n\x01", '"\\n\\u0001"'),
    ],
)
def test_quoted_escapes_as_ntriples_does(text: str, literal: str) -> None:
    assert quoted(text) == literal
    # And that is what pyoxigraph writes for the literal.
    written = serialize(
        [Triple(NamedNode("http://a.example/s"), NamedNode("http://a.example/p"), Literal(text))],
        format=RdfFormat.N_TRIPLES,
    )
    assert written == f"<http://a.example/s> <http://a.example/p> {literal} .\n".encode()


def test_json_ld_lines_are_those_of_the_node_objects(groups: Groups) -> None:
    # node_line builds the text of dumps_node(node_object(...)) directly, reusing the
    # N-Triples escapes: every escape rule, language, datatype and subject kind is met here.
    for group in groups:
        plain = plain_triples(group)
        by_subject: dict[str, list[PlainTriple]] = {}
        for triple in plain:
            by_subject.setdefault(triple[0], []).append(triple)
        for subject, triples in by_subject.items():
            assert node_line(subject, triples) == dumps_node(node_object(subject, triples))
        root = plain[0][0]
        embedded = {s: t for s, t in by_subject.items() if s != root}
        assert node_line(root, by_subject[root], embedded) == dumps_node(
            node_object(root, by_subject[root], embedded)
        )
