"""A Python program started from scratch beside this process, with its ``sys.path``.

A process that must not share this one's GIL, nor be forked from it (a process forked
while threads run, or after RocksDB has started its own, may deadlock), is started anew:
``-I`` lets no current folder, environment or user site decide what it imports, and the
program sets ``sys.path`` to this process's (what a wrapper, a zipapp or an embedding
program put there included). It runs in a process group of its own, so that a Ctrl-C
stops the run, which ends it; it takes orders on its standard input and answers on its
standard output.
"""

from __future__ import annotations

import subprocess
import sys

from nualod.errors import PublishError


def start_program(program: str, what: str) -> subprocess.Popen[bytes]:
    """Start ``program`` (Python source) as said above; ``what`` the process does, for the
    error that it cannot start.

    >>> process = start_program("import sys; sys.stdout.write(sys.stdin.read())", "echoes")
    >>> process.communicate(b"hello")[0]
    b'hello'
    """
    # Only strings: a path finder's object cannot be written into the program.
    paths = [path for path in sys.path if isinstance(path, str)]
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-c", f"import sys; sys.path[:] = {paths!r}\n{program}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            process_group=0,
        )
    except OSError as error:
        raise PublishError(
            f"cannot start the process that {what} ({sys.executable!r}): {error.strerror or error}"
        ) from None
