"""The ``nualod`` command line: thin commands over the library.

Each command parses its options, makes one library call and prints. Exit codes:
0 everything went through; 1 data does not conform (some inputs rejected, or a
validation violation); 2 bad input or usage (nothing usable, unreadable file, bad option).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from nualod import __version__
from nualod.errors import NualodError
from nualod.namespaces import DEFAULT_BASE

EXIT_OK: Final = 0
EXIT_NONCONFORMING: Final = 1
EXIT_BAD_INPUT: Final = 2

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A library error shown as one line on stderr with exit code 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def base_option(function: F) -> F:
    """Add ``--base``: the base IRI of published data."""
    return click.option(
        "--base",
        default=DEFAULT_BASE,
        show_default=True,
        metavar="IRI",
        help="Base IRI of practices, regions and the dataset (ends in '/' or '#').",
    )(function)


def inputs_argument(function: F) -> F:
    """Add the INPUT... argument: page files or folders of them."""
    return click.argument(
        "inputs",
        nargs=-1,
        required=True,
        type=click.Path(exists=False, path_type=Path),
        metavar="INPUT...",
    )(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nualod", message="%(prog)s %(version)s")
def main() -> None:
    """Publish National Urban Forum good practices as linked open data."""


@main.command()
@inputs_argument
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the dumps.",
)
@base_option
@click.option(
    "--strict", is_flag=True, help="Fail the run, writing nothing, if any input is rejected."
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
def publish(
    inputs: tuple[Path, ...], out_dir: Path, base: str, strict: bool, no_validate: bool
) -> None:
    """Read NUF pages (files or folders) and write linked-data dumps to --out.

    Exit code 0 when every input was published, 1 when some were rejected (listed on
    stderr and in OUT/rejected.json), 2 when nothing could be published or on bad usage.
    """
    from nualod.publish import publish as run_publish

    try:
        result = run_publish(
            list(inputs), out_dir, base=base, validate=not no_validate, strict=strict
        )
    except (NualodError, ValueError) as error:
        raise Failure(str(error)) from None
    for rejection in result.rejected:
        click.echo(f"rejected: {rejection.message}", err=True)
    names = ", ".join(path.name for path in result.files)
    click.echo(f"published {len(result.published)} practice(s) to {out_dir} ({names})")
    if result.rejected:
        click.echo(
            f"{len(result.rejected)} input(s) rejected; see {out_dir / 'rejected.json'}", err=True
        )
        sys.exit(EXIT_BAD_INPUT if not result.published else EXIT_NONCONFORMING)
