"""The ``nualod`` command line: thin commands over the library.

Each command parses its options, makes one library call and prints. Exit codes:
0 everything went through; 1 data does not conform (some inputs rejected, or a
validation violation); 2 bad input or usage (nothing usable, unreadable file, bad option);
130 stopped by Ctrl-C and 143 by SIGTERM, each said in one line; but ``serve``, which a
stop is the way to end, ends with 0 then, saying nothing.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, NoReturn, TypeVar

import click
from click.core import ParameterSource

from nualod import __version__
from nualod.errors import (
    NualodError,
    RejectedInputsError,
    Terminated,
    command_line_text,
    shown_line,
    shown_message,
    terminate_as_interrupt,
)
from nualod.model.namespaces import DEFAULT_BASE

if TYPE_CHECKING:  # the command imports it when run: `import nualod.cli` stays light
    from nualod.run.publish import PublishResult

EXIT_OK: Final = 0
EXIT_NONCONFORMING: Final = 1
EXIT_BAD_INPUT: Final = 2
#: 128 + SIGINT and 128 + SIGTERM, as a shell reports a process Ctrl-C or SIGTERM ended.
EXIT_INTERRUPTED: Final = 130
EXIT_TERMINATED: Final = 143

F = TypeVar("F", bound=Callable[..., Any])


#: The options that set the library's keyword arguments, where a message names one
#: (:func:`nualod.errors.option`): the keyword is the option's but for these.
OPTIONS: Final = {
    "version": "--release",
    "previous": "--previous",
    "base": "--base",
    "download_base": "--download-base",
    "issued": "--issued",
    "modified": "--modified",
    "strict": "--strict",
    "sparql_endpoint": "--sparql-endpoint",
    "Publisher.name": "--publisher-name",
    "Publisher.iri": "--publisher-iri",
    "Publisher.contact_name": "--contact-name",
    "Publisher.contact_email": "--contact-email",
    "keep": "--keep",
    "workers": "--workers",
    "out": "--out",
    "update_endpoint": "--update-endpoint",
    "graph": "--graph",
    "max_memory": "--max-memory",
    "timeout": "--timeout",
}


class Failure(click.ClickException):
    """A library error shown as one line on stderr with exit code 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {shown_message(self.format_message())}", err=True)


def base_option(function: F) -> F:
    """Add ``--base``: the base IRI of published data."""
    return click.option(
        "--base",
        default=DEFAULT_BASE,
        show_default=True,
        metavar="IRI",
        help="Base IRI of practices, regions and the dataset (ends in '/', no '#').",
    )(function)


def inputs_argument(function: F) -> F:
    """Add the INPUT... argument: page files or folders of them."""
    return click.argument(
        "inputs",
        nargs=-1,
        required=True,
        type=NamedPath(exists=False, path_type=Path),
        metavar="INPUT...",
    )(function)


def usage_line(error: click.UsageError) -> str:
    """Return a usage error (a bad option, a missing argument, an unknown command) as one
    line, as every other error is shown, with where the help is.

    >>> usage_line(click.UsageError("No such option: --bogus"))
    "error: No such option: --bogus (see 'nualod --help')"
    """
    command = error.ctx.command_path if error.ctx is not None else "nualod"
    return f"error: {shown_line(error.format_message())} (see '{command} --help')"


def _say_usage_error(error: click.UsageError) -> None:
    """Show a usage error as :func:`usage_line`; a command given without its arguments
    (click's ``NoArgsIsHelpError``) is raised again, for click to show its help whole."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        raise error
    click.echo(usage_line(error), err=True)


class NamedPath(click.Path):
    """A path option or argument that must name something: an empty one (``--out ""``)
    was taken as the current folder, where a publish then wrote its release."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("an empty path names no file or folder", param, ctx)
        return super().convert(value, param, ctx)


class _Commands(click.Group):
    """The commands; Ctrl-C ends any of them with one line and exit code 130 (click's own
    "Aborted!" exits 1, which publish, harvest and validate give to rejected input). A
    usage error is one line too, exit code 2 (click's own takes three)."""

    #: Whether the process ends with the command (:func:`command_line`).
    ends_process: ClassVar[bool] = False

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:  # an option of nualod itself
            _say_usage_error(error)
            raise click.exceptions.Exit(EXIT_BAD_INPUT) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Standard output that cannot take what a command says (a file on a full disk,
        # /dev/full) is one line, not a traceback: what the command did stands.
        try:
            return super().main(*args, **kwargs)
        except OSError as error:
            if not _writing_stdout(error):
                raise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            reason = error.strerror or str(error)
            click.echo(f"error: cannot write to standard output: {reason}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    def invoke(self, ctx: click.Context) -> Any:
        # A command that stops on SIGTERM as on Ctrl-C cleans up as it unwinds (a
        # validation's temporary store); the commands that leave something say what.
        try:
            with terminate_as_interrupt():
                try:
                    returned = super().invoke(ctx)
                except (SystemExit, click.exceptions.Exit, click.ClickException):
                    _work_done()  # what it says next (a failure's line) is not cut either
                    raise
                _work_done()
                return returned
        except KeyboardInterrupt:
            click.echo("error: interrupted (Ctrl-C)", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("error: stopped by SIGTERM", err=True)
            ctx.exit(EXIT_TERMINATED)
        except click.UsageError as error:  # a command's options, or no such command
            _say_usage_error(error)
            ctx.exit(EXIT_BAD_INPUT)


def _writing_stdout(error: OSError) -> bool:
    """Tell whether ``error`` was raised writing standard output: the stream the innermost
    frame wrote to is on its file descriptor (click's text stream, its buffer, ours)."""
    if error.__traceback__ is None:
        return False
    frame = error.__traceback__
    while frame.tb_next is not None:
        frame = frame.tb_next
    try:
        stdout = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
    except (OSError, ValueError):
        return False
    for value in frame.tb_frame.f_locals.values():
        fileno = getattr(value, "fileno", None)
        if callable(fileno) and hasattr(value, "write"):
            try:
                if fileno() == stdout:
                    return True
            except (OSError, ValueError, io.UnsupportedOperation):
                continue
    return False


def _publish_left(out: Path, result: PublishResult | None) -> str:
    """Return what a publish stopped after it was called left in ``out``: its previous state
    until the new release is current (``result``), then that release (no site yet)."""
    if result is None or result.release is None:
        return f"{out} was left as it was"
    return f"{out} holds the new release ({result.release.name})"


def _exit_stopped(stop: BaseException, untouched: str) -> NoReturn:
    """Say in one line what a stopped publish or site build left (its message, else
    ``untouched``) and exit 130 for Ctrl-C, 143 for SIGTERM."""
    said = str(stop) or untouched
    if isinstance(stop, KeyboardInterrupt):
        click.echo(f"error: interrupted (Ctrl-C); {said}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(f"error: stopped by SIGTERM; {said}", err=True)
    sys.exit(EXIT_TERMINATED)


def command_line() -> None:
    """Run the command line: the ``nualod`` program and ``python -m nualod``.

    Not :func:`main` itself, which tests call and a program may call in turn: only a
    process that ends with the command ignores the stops that come after its work (see
    :func:`_work_done`).
    """
    _Commands.ends_process = True
    main(prog_name="nualod")


def _work_done() -> None:
    """Say that the command's work is done and said: from here, in a process that ends with
    the command, SIGTERM and Ctrl-C are ignored, and the process ends moments later with
    the command's own exit code. (Python resets the handlers it set before it frees the
    program's objects, but not an ignored signal: a publish was killed, silently and with
    SIGTERM's code, after saying ``published …``.)"""
    if _Commands.ends_process and threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_IGN)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nualod", message="%(prog)s %(version)s")
def main() -> None:
    """Publish National Urban Forum good practices as linked open data."""


@main.command()
@inputs_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=NamedPath(file_okay=False, path_type=Path),
    help="Folder for the dumps.",
)
@base_option
@click.option(
    "--strict", is_flag=True, help="Fail the run, writing nothing, if any input is rejected."
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
@click.option(
    "--validator",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="SHACL engine: the compiled one (same results as pySHACL) or pySHACL itself.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for large inputs (default: one per core; 1: none), and for "
    "--site. The output is the same.",
)
@click.option(
    "--download-base",
    metavar="URL",
    help="URL the files of --out are served from (ends in '/'); default: the base IRI with "
    "'/id/' replaced by '/download/'.",
)
@click.option(
    "--issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Release date (YYYY-MM-DD) for the catalog; default: the earliest practice date.",
)
@click.option(
    "--modified",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Modification date for the catalog; default: the latest practice or retrieval date.",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="Public SPARQL endpoint, for VoID and the catalog (a dcat:DataService).",
)
@click.option(
    "--release",
    "version",
    metavar="VERSION",
    help="Version of this release (letters, digits, '.', '_', '-'); it is written to "
    "OUT/releases/VERSION and never rewritten. Default: a release named by its content.",
)
@click.option(
    "--previous",
    type=NamedPath(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The release this one follows (an OUT folder, or one of its releases/): practices "
    "keep their IRIs, removed ones leave tombstones, and changelog.json says what changed.",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Read every page again, even those unchanged since --previous (whose work is "
    "otherwise reused); the files come out the same.",
)
@click.option(
    "--keep",
    default=2,
    show_default=True,
    type=click.IntRange(min=0),
    help="Earlier releases kept in OUT/releases (one a server still uses is always kept).",
)
@click.option(
    "--no-figures",
    is_flag=True,
    help="Leave out the figures read from the practices' texts (amounts with their units).",
)
@click.option("--publisher-name", metavar="NAME", help="Publisher named in the catalog [nualod].")
@click.option("--publisher-iri", metavar="IRI", help="Publisher's IRI [BASE/agent/nualod].")
@click.option("--contact-name", metavar="NAME", help="Contact point's name [the publisher's].")
@click.option("--contact-email", metavar="ADDRESS", help="Contact point's e-mail [none].")
@click.option(
    "--config",
    "config_file",
    type=NamedPath(dir_okay=False, path_type=Path),
    help="Settings file (TOML: base, download_base, sparql_endpoint, [publisher], [contact]); "
    "default: ./nualod.toml if there is one. Options given here win.",
)
@click.option(
    "--site",
    "site_base_url",
    metavar="URL",
    is_flag=False,
    flag_value="https://w3id.org/nualod/",
    help="Also write OUT/site/, the static website (as `nualod site`), served at URL "
    "[https://w3id.org/nualod/].",
)
def publish(
    inputs: tuple[Path, ...],
    out_dir: Path,
    base: str,
    strict: bool,
    no_validate: bool,
    download_base: str | None = None,
    validator: str = "fast",
    workers: int | None = None,
    issued: Any = None,
    modified: Any = None,
    sparql_endpoint: str | None = None,
    version: str | None = None,
    previous: Path | None = None,
    rebuild: bool = False,
    keep: int = 2,
    no_figures: bool = False,
    publisher_name: str | None = None,
    publisher_iri: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    config_file: Path | None = None,
    site_base_url: str | None = None,
) -> None:
    """Read NUF pages (files or folders) and write linked-data dumps to --out.

    Each run writes a whole release into OUT/releases/ and makes it current in one step;
    another publish into OUT meanwhile is refused. Exit code 0 when every input was
    published, 1 when some were rejected (listed on stderr and in OUT/rejected.json), 2
    when nothing could be published, on bad usage, or when the disk refused a write (OUT
    then keeps its previous release); 130 when stopped by Ctrl-C and 143 by SIGTERM (OUT
    unchanged).
    """

    from nualod.run.config import find_config, publisher_of
    from nualod.run.publish import publish as run_publish
    from nualod.site.paths import base_parts

    result: PublishResult | None = None  # set once the new release is current
    try:
        if site_base_url:
            base_parts(site_base_url, "--site")  # refused before the publish, not after it
        config = find_config(config_file)
        if click.get_current_context().get_parameter_source("base") is ParameterSource.DEFAULT:
            base = config.base or base
        download_base = download_base or config.download_base
        sparql_endpoint = sparql_endpoint or config.sparql_endpoint
        publisher = publisher_of(
            config,
            name=publisher_name,
            iri=publisher_iri,
            contact_name=contact_name,
            contact_email=contact_email,
        )
        with ExitStack() as stack:
            stack.enter_context(terminate_as_interrupt())
            on_practice: Callable[[str], None] | None = None
            if sys.stderr.isatty():  # a progress bar only for people watching a terminal
                unknown_length = (iri for iri in list[str]())  # a generator has no length
                bar = stack.enter_context(
                    click.progressbar(
                        unknown_length, label="publishing", file=sys.stderr, show_pos=True
                    )
                )

                def on_practice(_iri: str) -> None:
                    bar.update(1)

            result = run_publish(
                list(inputs),
                out_dir,
                base=base,
                validate=not no_validate,
                validator=validator,
                workers=workers,
                strict=strict,
                on_practice=on_practice,
                download_base=download_base,
                issued=issued.date() if issued else None,
                modified=modified.date() if modified else None,
                sparql_endpoint=sparql_endpoint,
                version=version,
                previous=previous,
                keep=keep,
                figures=not no_figures,
                publisher=publisher,
                reuse=not rebuild,
            )
            if not site_base_url:
                _work_done()  # the new release is current: a stop now would only cut what is said
    except (Terminated, KeyboardInterrupt) as stop:
        _exit_stopped(stop, _publish_left(out_dir, result))
    except RejectedInputsError as error:
        for line in error.rejections:
            click.echo(f"rejected: {shown_line(line)}", err=True)
        raise Failure(error.command_line(OPTIONS)) from None
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    assert result is not None
    try:  # a stop comes through here only with --site (or when a program runs the command)
        for notice in result.marked_notices:
            click.echo(f"note: {shown_line(command_line_text(notice, OPTIONS))}", err=True)
        for rejection in result.rejected:
            click.echo(f"rejected: {shown_line(rejection.message)}", err=True)
        names = ", ".join(path.name for path in result.files)
        click.echo(f"published {len(result.published)} practice(s) to {out_dir} ({names})")
        if result.reused:
            click.echo(f"{result.reused} unchanged page(s) taken from the previous release's work")
    except (Terminated, KeyboardInterrupt) as stop:
        _exit_stopped(stop, _publish_left(out_dir, result))
    if site_base_url:
        _write_site(out_dir, base_url=site_base_url, workers=workers)
        _work_done()
    if result.rejected:
        click.echo(
            f"{len(result.rejected)} input(s) rejected; see {out_dir / 'rejected.json'}", err=True
        )
        sys.exit(EXIT_NONCONFORMING)


@main.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option(
    "--from-file",
    "url_list",
    type=NamedPath(dir_okay=False, path_type=Path),
    help="A file of URLs, one a line ('#' starts a comment).",
)
@click.option(
    "--into",
    required=True,
    type=NamedPath(file_okay=False, path_type=Path),
    help="Folder the pages and their .meta.json sidecars are saved in.",
)
@click.option(
    "--delay",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds between requests to the same host.",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Read timeout in seconds.",
)
@click.option(
    "--retries", default=3, show_default=True, type=click.IntRange(min=0), help="Retries per URL."
)
@click.option(
    "--max-bytes",
    default=5 * 1024 * 1024,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest page accepted, counted after decompression.",
)
@click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt (not recommended).")
def harvest(
    urls: tuple[str, ...],
    url_list: Path | None,
    into: Path,
    delay: float,
    timeout: float,
    retries: int,
    max_bytes: int,
    ignore_robots: bool,
) -> None:
    """Fetch NUF pages over HTTP into a folder that `nualod publish` reads.

    A second harvest into the same folder revalidates each page (ETag, Last-Modified) and
    downloads only what changed; an interrupted harvest resumes where it stopped. Exit
    code 0 when every URL was saved, 1 when some were rejected, 2 when none was or on bad
    usage, 130 on Ctrl-C and 143 on SIGTERM (what was saved is kept).
    """
    from nualod.harvesting.fetch import (
        HarvestOutcome,
        RejectedURL,
        listed_urls,
        place_of,
        url_places,
    )
    from nualod.harvesting.fetch import harvest as run_harvest

    try:
        listed = listed_urls(url_list) if url_list else []
        if url_list and not listed:
            raise click.UsageError(f"{url_list}: no URL in this list")
        wanted = [*urls, *(entry.url for entry in listed)]
        places = url_places(listed, given=urls)
        if not wanted:
            raise click.UsageError("give at least one URL or --from-file LIST")
        with terminate_as_interrupt(), ExitStack() as stack:
            bar = None
            if sys.stderr.isatty():  # a progress bar only for people watching a terminal
                bar = stack.enter_context(
                    click.progressbar(length=len(wanted), label="harvesting", file=sys.stderr)
                )

            def report(outcome: HarvestOutcome) -> None:
                if isinstance(outcome, RejectedURL):
                    # On its own line: the bar's line is cleared first; it is drawn again.
                    clear = "\r\x1b[K" if bar is not None else ""
                    shown = shown_line(outcome.error.message)
                    place = place_of(outcome.url, places)
                    if place is not None:
                        shown = f"{place}: {shown}"
                    click.echo(f"{clear}rejected: {shown}", err=True)
                if bar is not None:
                    bar.update(1)

            result = run_harvest(
                wanted,
                into,
                delay=delay,
                read_timeout=timeout,
                retries=retries,
                max_bytes=max_bytes,
                respect_robots=not ignore_robots,
                on_result=report,
            )
    except (Terminated, KeyboardInterrupt) as stop:
        how = "stopped by SIGTERM" if isinstance(stop, Terminated) else "interrupted (Ctrl-C)"
        click.echo(
            f"error: {how}; the pages saved in {into} are kept, and the same harvest again resumes",
            err=True,
        )
        sys.exit(EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED)
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    kinds = Counter(page.kind.value for page in result.saved)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    click.echo(
        f"saved {len(result.saved)} page(s) in {into}" + (f" ({summary})" if summary else "")
    )
    if result.rejected:
        sys.exit(EXIT_BAD_INPUT if not result.saved else EXIT_NONCONFORMING)


@main.command()
@click.argument("files", nargs=-1, required=True, type=NamedPath(path_type=Path), metavar="FILE...")
@click.option(
    "--shapes",
    "shapes_dir",
    type=NamedPath(path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder of SHACL shapes (.ttl) to use instead of the shipped ones.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people, json (documented schema), turtle (sh:ValidationReport).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--engine",
    "--validator",  # publish's name for it
    "engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="SHACL engine: the compiled one over an on-disk store (pySHACL when the shapes do "
    "not compile) or pySHACL on the files in memory.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also show the info results about nualod's own reference data (counted otherwise).",
)
def validate(
    files: tuple[Path, ...],
    shapes_dir: Path | None,
    output_format: str,
    fail_on: str,
    engine: str = "fast",
    show_all: bool = False,
) -> None:
    """Validate RDF files against the SHACL shapes and say what is wrong.

    FILE... are Turtle (.ttl), N-Triples (.nt), N-Quads (.nq), TriG (.trig) or JSON-LD
    (.jsonld, .json; a remote @context is never fetched: schema.org's and nualod's are read
    from shipped copies, any other is refused), read together as one graph. Exit code 0
    when it conforms (warnings allowed, counted), 1 on a violation (or on a warning with
    --fail-on warning), 2 when a file or the shapes cannot be read.
    """
    from nualod.validate.report import report_json_pieces, report_text, report_turtle
    from nualod.validate.stream import validate_files

    try:
        report = validate_files(list(files), shapes_dir, engine=engine, reference_info=show_all)
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    if report.fallback:
        click.echo(
            f"note: the fast engine cannot compile these shapes ({report.fallback}); "
            "pySHACL validated them",
            err=True,
        )
    names = [str(path) for path in files]
    code = EXIT_NONCONFORMING if report.fails(fail_on.capitalize()) else EXIT_OK
    try:
        if output_format == "json":
            for piece in report_json_pieces(report, names):  # a group at a time: can be huge
                click.echo(piece, nl=False)
            click.echo()
        elif output_format == "turtle":
            click.echo(report_turtle(report), nl=False)
        else:
            click.echo(report_text(report, names))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``| head``): the verdict stands
        _reader_went_away(code)
    sys.exit(code)


@main.command()
@click.argument("folder", type=NamedPath(file_okay=False, path_type=Path))
@click.argument("sparql", metavar="QUERY")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output: aligned table, SPARQL CSV, or SPARQL JSON results; CONSTRUCT and DESCRIBE "
    "give N-Triples (table, csv) or JSON-LD (json).",
)
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds the query may run before it is stopped.",
)
@click.option(
    "--max-memory",
    default=512,
    show_default=True,
    type=click.IntRange(min=64),
    metavar="MIB",
    help="Memory (MiB) the query may use before it is stopped.",
)
def query(
    folder: Path, sparql: str, fmt: str, timeout: float = 60.0, max_memory: int = 512
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT; '@file.rq' reads a file) over FOLDER/store.

    The default graph is the union of the named graphs, unless the query names its dataset
    (FROM, FROM NAMED); nualod's prefixes (dcterms, skos, nua, ...) are predeclared.
    Federated queries (SERVICE) are refused. Rows are written as they come; a query that
    runs past --timeout or needs more than --max-memory is stopped.
    CSV cells that a spreadsheet would run as a formula get a leading "'"; control
    characters are shown escaped. Exit code 2 for a syntax error, a refused or stopped
    query or a missing store.
    """
    from nualod.serve.sparql import read_query, stream_query

    # The bytes under click's stdout (CliRunner's too): click 8.5 deprecates
    # get_binary_stream, and pytest turns the warning into an error.
    out = sys.stdout.buffer
    try:
        stream_query(
            folder,
            read_query(sparql),
            out,
            fmt,
            timeout=timeout,
            max_memory=max_memory * 1024 * 1024,
        )
        out.flush()
    except NualodError as error:
        out.flush()
        raise Failure(error.command_line(OPTIONS)) from None
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        _reader_went_away(EXIT_OK)


def _reader_went_away(code: int) -> NoReturn:
    """Exit with ``code`` once the reader of stdout has gone (``| head``), saying nothing:
    what is still buffered for stdout goes nowhere rather than to a second error."""
    sys.stderr.close()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)


@main.command()
@click.argument("folder", type=NamedPath(file_okay=False, path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; a non-loopback one needs --allow-public.",
)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-public",
    is_flag=True,
    help="Allow a non-loopback --host (the server runs federated SERVICE queries).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="URL the site is reached at, for the Location of redirects (ends in '/'); "
    "default: http://HOST:PORT/.",
)
@click.option(
    "--timeout",
    default=60,
    show_default=True,
    type=click.IntRange(min=1),
    help="Seconds a SPARQL query may run before the Oxigraph server stops it.",
)
@click.option(
    "--max-memory",
    default=768,
    show_default=True,
    type=click.IntRange(min=128),
    metavar="MIB",
    help="Memory (MiB) of the Oxigraph server; past it, it is restarted and its queries fail.",
)
def serve(
    folder: Path,
    host: str,
    port: int,
    allow_public: bool,
    base_url: str | None = None,
    timeout: int = 60,
    max_memory: int = 768,
) -> None:
    """Serve FOLDER/site with content negotiation and FOLDER/store as a SPARQL endpoint.

    \b
    curl -L -H 'Accept: text/turtle' http://127.0.0.1:7878/id/practice/KEY
    curl -H 'Accept: application/sparql-results+json' \\
         --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \\
         http://127.0.0.1:7878/query

    A data IRI's path answers 303 See Other to its HTML, Turtle, JSON-LD or N-Triples file,
    chosen by Accept (406 when none is acceptable). Queries go to the Oxigraph server
    (read-only), run as a child process; federated SERVICE queries are refused. It listens
    on loopback only; a non-loopback --host is refused unless --allow-public is given.
    Ctrl-C or SIGTERM stops it and the Oxigraph server, with exit code 0. Exit code 2 when
    the store is missing or the port is in use.
    """
    from nualod.serve.server import SERVICE_WARNING, check_host, endpoint_url, is_loopback
    from nualod.serve.server import serve as run_serve

    def ready(base: str) -> None:
        site = folder / "site"
        if site.is_dir():
            click.echo(f"site: {base} (data IRIs by Accept)")
        else:
            click.echo(
                f"note: no site in {site} yet (run `nualod site {folder}`; "
                "it is served as soon as it is built)",
                err=True,
            )
        click.echo(f"SPARQL endpoint: {endpoint_url(host, port)} (read-only; Ctrl-C stops)")

    try:
        check_host(host, allow_public)
        if not is_loopback(host):
            click.echo(SERVICE_WARNING, err=True)
        code = run_serve(
            folder,
            host,
            port,
            allow_public=allow_public,
            base_url=base_url,
            on_ready=ready,
            query_timeout=timeout,
            max_memory=max_memory * 1024 * 1024,
            restore_signals=False,  # this process ends: stop signals stay ignored
        )
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    if code:
        raise Failure(f"the oxigraph server stopped with exit code {code}")


@main.command()
@click.argument("folder", type=NamedPath(file_okay=False, path_type=Path))
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store endpoint (Oxigraph http://host:7878/store, Fuseki .../ds/data).",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="SPARQL Update endpoint; default: /store -> /update, /ds/data -> /ds/update.",
)
@click.option("--graph", metavar="IRI", help="Graph to replace; default: the dataset IRI.")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(min=0))
def push(
    folder: Path, endpoint: str, update_endpoint: str | None, graph: str | None, retries: int
) -> None:
    """Load FOLDER's dump into a SPARQL 1.1 store, replacing one graph atomically.

    Uploads the union of the named graphs into a temporary graph, then MOVEs it onto the
    target graph, so readers never see a half-loaded graph and a failed push keeps the old
    one. Credentials: NUALOD_PUSH_TOKEN (bearer), or NUALOD_PUSH_USER and
    NUALOD_PUSH_PASSWORD (basic).
    """
    from nualod.serve.push import push as run_push

    try:
        result = run_push(
            folder, endpoint, graph=graph, update_endpoint=update_endpoint, retries=retries
        )
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    click.echo(f"pushed {result.triples} triple(s) into <{result.graph}> at {result.endpoint}")


def _site_steps() -> Callable[[str], None] | None:
    """Return what tells people at a terminal each step of a site build as it starts, with
    the time so far (a million practices take minutes); nothing when stderr is not one."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def step(name: str) -> None:
        click.echo(f"site: {name} ({time.monotonic() - started:.0f} s)", err=True)

    return step


@main.command()
@click.argument("folder", type=NamedPath(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    default="https://w3id.org/nualod/",
    show_default=True,
    metavar="URL",
    help="Where the site is served (for the sitemap and canonical links).",
)
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes; default: up to two.")
@click.option("--no-search", is_flag=True, help="Do not build the search index.")
def site(folder: Path, base_url: str, workers: int | None, no_search: bool) -> None:
    """Write FOLDER/site/: a static website of a published FOLDER, one page and three data
    files (.ttl, .jsonld, .nt) per practice, place, concept and vocabulary term.

    Exit code 2 when FOLDER holds no published data, cannot be written, or another site
    build is writing it; 130 when stopped by Ctrl-C and 143 by SIGTERM (FOLDER/site
    unchanged, or already the new site if the stop came while the old one was being
    deleted).
    """
    _write_site(folder, base_url=base_url, workers=workers, search=not no_search)


def _write_site(
    folder: Path, *, base_url: str, workers: int | None = None, search: bool = True
) -> None:
    """Build FOLDER/site and its hosting configurations and say what was written (`site`,
    `publish --site`); errors and SIGTERM as one line and their exit codes."""
    from nualod.serve.hosting import check_root, write_hosting, write_htaccess
    from nualod.site.build import build_site
    from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES, base_parts

    try:
        base_parts(base_url)  # refused before a site is built, not after
        check_root((folder / "site").resolve())
        with terminate_as_interrupt():
            result = build_site(
                folder,
                base_url=base_url,
                workers=workers,
                search=search,
                progress=_site_steps(),
                # In the new site before it is swapped in: Apache never serves one without it.
                finish=lambda new: write_htaccess(new, base_url, REWRITE_RULES, MEDIA_TYPES),
            )
        hosting = write_hosting(folder, base_url, REWRITE_RULES, MEDIA_TYPES)
    except (Terminated, KeyboardInterrupt) as stop:
        _exit_stopped(stop, f"{folder / 'site'} was left as it was")
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    withdrawn = f" and {result.withdrawn} withdrawn" if result.withdrawn else ""
    click.echo(
        f"wrote {result.folder}: {result.practices} practice(s){withdrawn}, "
        f"{result.files} file(s), {result.search_records} search record(s)"
    )
    click.echo(f"wrote {', '.join(str(path) for path in hosting)}")


@main.command()
@click.argument("before", type=NamedPath(file_okay=False, path_type=Path))
@click.argument("after", type=NamedPath(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for people (changelog.md), json (changelog.json, documented schema).",
)
def diff(before: Path, after: Path, fmt: str) -> None:
    """Say what changed from release BEFORE to release AFTER, keyed by practice IRI.

    BEFORE and AFTER are publish folders (their current release) or folders under their
    releases/. Practices added, changed (with the fields that changed) and removed. Exit
    code 2 when either is not a release with a practices index.
    """
    from nualod.releases.changelog import diff_releases

    try:
        log = diff_releases(before, after)
    except NualodError as error:
        raise Failure(error.command_line(OPTIONS)) from None
    click.echo((log.json_bytes() if fmt == "json" else log.markdown()).decode("utf-8"), nl=False)
