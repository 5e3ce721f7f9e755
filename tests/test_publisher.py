"""A publisher of one's own: options, nualod.toml, and what the catalog then says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from nualod.cli import main
from nualod.describe.publisher import Publisher
from nualod.errors import UsageError
from nualod.model.resources import resource
from nualod.run.config import read_config

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SHAPES = resource("data/dcat-ap-3.0.0/dcat-ap-SHACL.ttl")
AGENCY = [
    "--publisher-name", "Bappeda Kota Pekalongan",
    "--publisher-iri", "https://bappeda.pekalongankota.go.id/",
    "--contact-name", "Bidang Data dan Informasi",
    "--contact-email", "data@pekalongankota.go.id",
]  # fmt: skip


def _publish(runner: CliRunner, out: Path, *options: str) -> Graph:
    done = runner.invoke(main, ["publish", str(EXAMPLES), "--out", str(out), *options])
    assert done.exit_code == 0, done.output
    return Graph().parse(out / "catalog.ttl", format="turtle")


def _who(catalog: Graph) -> tuple[str, str, str, str | None]:
    dataset = next(catalog.subjects(URIRef(str(DCAT) + "distribution"), None))
    publisher = catalog.value(dataset, DCTERMS.publisher)
    contact = catalog.value(dataset, DCAT.contactPoint)
    email = catalog.value(contact, URIRef(VCARD + "hasEmail"))
    return (
        str(publisher),
        str(catalog.value(publisher, FOAF.name)),
        str(catalog.value(contact, URIRef(VCARD + "fn"))),
        str(email) if email is not None else None,
    )


def _conforms(catalog: Graph) -> bool:
    import pyshacl

    shapes = Graph().parse(data=SHAPES.read_text(encoding="utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(catalog, shacl_graph=shapes, inference="rdfs")
    assert conforms, text
    return bool(conforms)


def test_the_catalog_names_the_configured_publisher_and_contact(
    tmp_path: Path, runner: CliRunner
) -> None:
    catalog = _publish(runner, tmp_path / "out", *AGENCY)
    assert _who(catalog) == (
        "https://bappeda.pekalongankota.go.id/",
        "Bappeda Kota Pekalongan",
        "Bidang Data dan Informasi",
        "mailto:data@pekalongankota.go.id",
    )
    assert _conforms(catalog)


def test_by_default_nualod_publishes_with_no_email(tmp_path: Path, runner: CliRunner) -> None:
    catalog = _publish(runner, tmp_path / "out")
    assert _who(catalog) == ("https://w3id.org/nualod/id/agent/nualod", "nualod", "nualod", None)


def test_nualod_toml_sets_publisher_and_base_and_options_win(
    tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "agency"
    folder.mkdir()
    (folder / "nualod.toml").write_text(
        'base = "https://data.example.go.id/nua/id/"\n'
        "[publisher]\n"
        'name = "Bappeda Kota Pekalongan"\n'
        "[contact]\n"
        'email = "data@pekalongankota.go.id"\n',
        encoding="utf-8",
    )
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        catalog = _publish(runner, tmp_path / "out", "--contact-name", "Bidang Data")
    finally:
        os.chdir(cwd)
    assert _who(catalog) == (
        "https://data.example.go.id/nua/id/agent/nualod",
        "Bappeda Kota Pekalongan",
        "Bidang Data",
        "mailto:data@pekalongankota.go.id",
    )
    assert (
        URIRef("https://data.example.go.id/nua/id/catalog"),
        DCTERMS.publisher,
        URIRef("https://data.example.go.id/nua/id/agent/nualod"),
    ) in catalog
    assert Literal("Bidang Data") in set(catalog.objects())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--contact-email", "data at example"],
         "error: --contact-email must be an e-mail address: 'data at example'\n"),
        (["--publisher-iri", "bappeda"], "error: --publisher-iri must be an http(s) IRI: 'bappeda'\n"),
        (["--publisher-name", " "], "error: --publisher-name must not be empty\n"),
    ],
)  # fmt: skip
def test_a_bad_publisher_option_is_one_line_and_exit_2(
    options: list[str], message: str, tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "out"
    done = runner.invoke(main, ["publish", str(EXAMPLES), "--out", str(out), *options])
    assert done.exit_code == 2
    assert done.output == message
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base = 3\n", "base: must be a string, not int"),
        ("[publisher]\nmail = 'x@y.org'\n", "publisher.mail: unknown setting (known: "
         "publisher.name, publisher.iri)"),
        ("colour = 'red'\n", "colour: unknown setting (known: base, download_base, "
         "sparql_endpoint, [publisher], [contact])"),
        ("contact = 'x'\n", "contact: must be a table ([contact])"),
        # a value the option would refuse: named by the file's key, not the option
        ("[contact]\nemail = 'data at example'\n",
         "contact.email: must be an e-mail address: 'data at example'"),
        ("[publisher]\niri = 'bappeda'\n", "publisher.iri: must be an http(s) IRI: 'bappeda'"),
        ("[publisher]\nname = ' '\n", "publisher.name: must not be empty"),
        ("base = 'data.example.go.id'\n",
         "base: the base IRI must be an http(s) IRI ending in '/', without '#': "
         "'data.example.go.id'"),
        ("download_base = 'ftp://x/'\n",
         "download_base: must be an http(s) URL ending in '/': 'ftp://x/'"),
        ("sparql_endpoint = 'sparql'\n",
         "sparql_endpoint: not an absolute http(s) IRI: 'sparql'"),
    ],
)  # fmt: skip
def test_a_bad_configuration_file_is_named_with_its_key(
    text: str, message: str, tmp_path: Path, runner: CliRunner
) -> None:
    config = tmp_path / "nualod.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_config(config)
    assert str(raised.value) == f"{config}: {message}"
    done = runner.invoke(
        main, ["publish", str(EXAMPLES), "--out", str(tmp_path / "o"), "--config", str(config)]
    )
    assert done.exit_code == 2
    assert done.output == f"error: {config}: {message}\n"


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "nualod.toml"
    config.write_text("base = \n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"nualod\.toml: not TOML: "):
        read_config(config)


def test_the_default_publisher_is_nualod() -> None:
    assert Publisher() == Publisher("nualod", None, None, None)


def test_the_configuration_found_in_the_current_folder_is_named_as_the_user_names_it(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nualod.toml").write_text('[contact]\nemail = "data at example"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(main, ["publish", str(EXAMPLES), "--out", "o"])
    assert (done.exit_code, done.output) == (
        2,
        "error: nualod.toml: contact.email: must be an e-mail address: 'data at example'\n",
    )
