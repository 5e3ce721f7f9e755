"""``nualod.toml``: what an agency sets once for every publish.

A TOML file, by default ``nualod.toml`` in the current folder (or ``publish --config
FILE``)::

    base = "https://data.example.go.id/nua/id/"
    download_base = "https://data.example.go.id/nua/download/"
    sparql_endpoint = "https://data.example.go.id/nua/sparql"

    [publisher]
    name = "Bappeda Kota Pekalongan"
    iri = "https://bappeda.pekalongankota.go.id/"

    [contact]
    name = "Bidang Data dan Informasi"
    email = "data@pekalongankota.go.id"

Options given on the command line win over the file. A key the file does not know, a value
of the wrong type, or a value its option would refuse (a base that is not an http(s) IRI,
an e-mail that is not one, ...) is refused with one line naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Final

from nualod.describe.catalog import check_download_base, check_endpoint
from nualod.describe.publisher import Publisher
from nualod.errors import UsageError
from nualod.model.iris import DataIRIs

CONFIG_NAME: Final = "nualod.toml"
#: Section -> the keys it may hold (None: the top level).
KEYS: Final[dict[str | None, tuple[str, ...]]] = {
    None: ("base", "download_base", "sparql_endpoint"),
    "publisher": ("name", "iri"),
    "contact": ("name", "email"),
}


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of a configuration file (``None``: not set there)."""

    base: str | None = None
    download_base: str | None = None
    sparql_endpoint: str | None = None
    publisher: dict[str, str] = field(default_factory=dict)


def _strings(where: str, table: dict[str, Any], section: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in table.items():
        name = f"{section}.{key}" if section else key
        if key in KEYS and section is None:
            continue  # a section, read on its own
        if key not in KEYS[section]:
            if section:
                known = ", ".join(f"{section}.{k}" for k in KEYS[section])
            else:  # and the tables
                tables = (f"[{other}]" for other in KEYS if other is not None)
                known = ", ".join((*KEYS[None], *tables))
            raise UsageError(f"{where}: {name}: unknown setting (known: {known})")
        if not isinstance(value, str):
            raise UsageError(f"{where}: {name}: must be a string, not {type(value).__name__}")
        found[key] = value
    return found


def _check(where: str, name: str, check: Callable[[], object]) -> None:
    """Run the check of the option a setting stands for, and name the file and the key, not
    the option, in its message (``--contact-email must be ...`` becomes ``FILE:
    contact.email: must be ...``)."""
    try:
        check()
    except UsageError as error:
        _option, _, reason = str(error).partition(" ")
        raise UsageError(f"{where}: {name}: {reason}") from None


#: The check of each top-level setting: the one its command-line option runs.
_TOP_CHECKS: Final[dict[str, Callable[[str], object]]] = {
    "base": DataIRIs,
    "download_base": check_download_base,
    "sparql_endpoint": check_endpoint,
}


def read_config(path: Path) -> Config:
    """Read a configuration file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "nualod.toml"
    ...     _ = file.write_text('[contact]\\nemail = "data@example.org"\\n')
    ...     read_config(file).publisher
    {'contact_email': 'data@example.org'}
    """
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not TOML: {error}") from None
    except RecursionError:  # arrays in arrays, thousands deep
        raise UsageError(f"{path}: not TOML: nested too deeply") from None
    top = _strings(str(path), table, None)
    for key, text in top.items():
        _check(str(path), key, partial(_TOP_CHECKS[key], text))
    publisher: dict[str, str] = {}
    for section in ("publisher", "contact"):
        value = table.get(section, {})
        if not isinstance(value, dict):
            raise UsageError(f"{path}: {section}: must be a table ([{section}])")
        for key, text in _strings(str(path), value, section).items():
            setting = key if section == "publisher" else f"contact_{key}"
            _check(str(path), f"{section}.{key}", partial(Publisher, **{setting: text}))
            publisher[setting] = text
    return Config(
        base=top.get("base"),
        download_base=top.get("download_base"),
        sparql_endpoint=top.get("sparql_endpoint"),
        publisher=publisher,
    )


def find_config(given: Path | None, folder: Path | None = None) -> Config:
    """Return the settings of ``given``, else of ``nualod.toml`` in ``folder`` (the current
    one) if there is one, else none."""
    if given is not None:
        return read_config(given)
    # Named as the README and the user name it (``nualod.toml: ...``), not by its full path.
    default = folder / CONFIG_NAME if folder is not None else Path(CONFIG_NAME)
    return read_config(default) if default.is_file() else Config()


def publisher_of(config: Config, **given: str | None) -> Publisher:
    """Return the publisher: options given on the command line over the file's settings."""
    settings = {**config.publisher, **{k: v for k, v in given.items() if v is not None}}
    return Publisher(**settings)
