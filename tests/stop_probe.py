"""Run nualod's command line and stop it from inside one of its workers
(``python tests/stop_probe.py SIGNAL publish|site ARGS``): as a terminal's Ctrl-C and
``timeout``'s SIGTERM would, the signal goes to the whole process group, workers and all;
``parent:SIGNAL`` sends it to the run's process alone.

The worker waits a second first, so the other worker has nothing left to do and waits for
a job that never comes. In a publish the worker is the one given the last example page
(jobs are of one page each, so the four example pages go through the pool); in a site
build, the one given the first shard. Run it in a process group of its own: the signal
goes to every process in the group of the one that sends it.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any


def _stop() -> None:
    time.sleep(1)
    if sys.argv[1].startswith("parent:"):  # the run alone, as the OOM killer picks it
        os.kill(os.getppid(), signal.Signals[sys.argv[1].removeprefix("parent:")])
        return  # this worker goes on with its job, and sends its result to no one
    os.killpg(0, signal.Signals[sys.argv[1]])
    time.sleep(60)  # the stop ends this worker here, or the test times out


def publishing(job: Any, settings: Any) -> Any:
    """Run a publish's job; the one of the last page signals the group first."""
    from nualod.run import pipeline

    if any("surabaya" in str(item) for item in job.items):
        _stop()
    return pipeline.process(job, settings)


def rendering(number: int) -> Any:
    """Render a site's shard; a worker's first signals the group first."""
    if not _given_out:
        _given_out.append(number)
        _stop()
    return _render(number)


_given_out: list[int] = []
#: The site's own shard renderer, which :func:`rendering` calls.
_render: Any = None


def main() -> None:
    global _render
    # As a command typed at a terminal: a test suite run as a background job (``&`` in a
    # script, nohup) passes SIGINT down ignored, and Python then leaves it so.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from nualod.run import pipeline, publish
    from nualod.site import build

    pipeline.JOB_SIZE = 1
    # Functions of this module's, which a worker finds by name as the pool sends them.
    publish.process = publishing
    _render = build._work
    build._work = rendering
    from nualod.cli import main as nualod

    nualod(sys.argv[2:], prog_name="nualod")


if __name__ == "__main__":
    main()
