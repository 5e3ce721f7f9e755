"""Time each step of a site build, this checkout against another commit, in alternating
rounds: a change to one step shows apart from the render's spread, which on this machine is
larger than the whole of the steps after it.

    python -m bench.site_steps PUBLISHED SCRATCH --against 351e9d5 --rounds 2

Each run builds, in a fresh process with its checkout's ``nualod``, the site of a fresh
hard-linked copy of PUBLISHED (its site and store left out) under SCRATCH, so nothing is
deleted before a measurement (``bench/README.md``: this disk creates files slowly for
minutes after a deletion). The build says when each step starts (``build_site``'s
``progress``); the run reports each step's seconds and the time after the render (every
step from the first that follows it), with the CPU the steps after the render used (user and
system, their processes included). The other commit is checked out in a git worktree
under SCRATCH. The copies are deleted at the end, and the results go to
``bench/results/site_steps.json`` and stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.releases import CHECKOUT, commit_of, side_order
from bench.site import RESULTS
from bench.site_places import NOT_READ

#: The step whose end starts the time after the render.
RENDER = "rendering practices"

_PROBE = """
import json, resource, sys, time
from pathlib import Path
from nualod.site.build import build_site
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return sum(u.ru_utime for u in usage), sum(u.ru_stime for u in usage)
start = time.perf_counter()
steps = []
build_site(Path(sys.argv[1]), progress=lambda text: steps.append((time.perf_counter() - start, text, *cpu())))
wall = time.perf_counter() - start
user, system = cpu()
print(json.dumps({"seconds": wall, "steps": steps, "user_seconds": user, "system_seconds": system}))
"""


def first_after_render(texts: list[str]) -> int | None:
    """Return the index of the first step after the render, or None.

    >>> first_after_render(["splitting", "rendering practices in 3 shards", "bucketing"])
    2
    """
    rendered = False
    for number, text in enumerate(texts):
        if text.startswith(RENDER):
            rendered = True
        elif rendered:
            return number
    return None


def step_seconds(steps: list[tuple[float, str]], seconds: float) -> dict[str, float]:
    """Return each step's seconds, from its start to the next one's (the last's to the end),
    and ``after the render``: from the start of the first step after the render to the end.

    >>> step_seconds([(0.0, "splitting"), (2.0, "rendering practices in 3 shards"),
    ...               (9.0, "bucketing the lists")], 10.0)
    {'splitting': 2.0, 'rendering practices': 7.0, 'bucketing the lists': 1.0, 'after the render': 1.0}
    """
    found: dict[str, float] = {}
    ends = [at for at, _text in steps[1:]] + [seconds]
    for (at, text), end in zip(steps, ends, strict=True):
        found[RENDER if text.startswith(RENDER) else text] = round(end - at, 3)
    after = first_after_render([text for _at, text in steps])
    found["after the render"] = round(seconds - steps[after][0], 3) if after is not None else 0.0
    return found


def build(published: Path, copy: Path, code: Path) -> dict[str, Any]:
    """Build the site of a fresh hard-linked copy of ``published`` at ``copy`` with the
    ``nualod`` of checkout ``code``; return its wall, CPU and step seconds."""
    shutil.copytree(
        published,
        copy,
        symlinks=True,
        copy_function=os.link,
        ignore=shutil.ignore_patterns(*NOT_READ),
    )
    done = subprocess.run(
        # -P: with -c, the current folder (a checkout, when run from one) would come
        # before PYTHONPATH, and every side would import its nualod.
        [sys.executable, "-P", "-c", _PROBE, str(copy)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(code)},
    )
    report: dict[str, Any] = json.loads(done.stdout)
    steps = report["steps"]
    report["steps"] = step_seconds([(at, text) for at, text, *_cpu in steps], report["seconds"])
    # The CPU after the render: the processes of the steps after it are waited for by the
    # end (the render's workers before it starts), so the difference is theirs.
    after = first_after_render([text for _at, text, *_cpu in steps])
    report["cpu_after_the_render"] = (
        {
            "user": round(report["user_seconds"] - steps[after][2], 3),
            "system": round(report["system_seconds"] - steps[after][3], 3),
        }
        if after is not None
        else None
    )
    return report


def compare(published: Path, scratch: Path, against: str, rounds: int) -> dict[str, Any]:
    """Build the site with this checkout and with commit ``against``, ``rounds`` times each,
    taking turns; return the runs."""
    scratch.mkdir(parents=True, exist_ok=True)
    other = scratch / "against"
    subprocess.run(
        ["git", "-C", str(CHECKOUT), "worktree", "add", "--detach", str(other), against],
        check=True, capture_output=True,
    )  # fmt: skip
    codes = {"this": CHECKOUT, "against": other}
    runs: list[dict[str, Any]] = []
    try:
        for round_number in range(rounds):
            for side in side_order(round_number):
                copy = scratch / f"{side}-{round_number + 1}"
                report = build(published, copy, codes[side])
                report.update(side=side, round=round_number + 1)
                runs.append(report)
        return {"this": commit_of(CHECKOUT), "against": commit_of(other), "runs": runs}
    finally:
        subprocess.run(
            ["git", "-C", str(CHECKOUT), "worktree", "remove", "--force", str(other)],
            check=False, capture_output=True,
        )  # fmt: skip
        for run in range(rounds):
            for side in codes:
                shutil.rmtree(scratch / f"{side}-{run + 1}", ignore_errors=True)


def summary(results: dict[str, Any]) -> str:
    """Return a line per run: its commit, the whole build and the time after the render."""
    names = {"this": results["this"], "against": results["against"]}
    return "\n".join(
        f"round {run['round']} {names[run['side']]:>16}: build {run['seconds']:6.1f} s "
        f"(user {run['user_seconds']:.1f}, system {run['system_seconds']:.1f}), "
        f"after the render {run['steps']['after the render']:5.1f} s"
        + (
            f" (CPU user {run['cpu_after_the_render']['user']:.1f}, "
            f"system {run['cpu_after_the_render']['system']:.1f})"
            if run.get("cpu_after_the_render")
            else ""
        )
        for run in results["runs"]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.site_steps", description=__doc__)
    parser.add_argument("published", type=Path, help="a published folder")
    parser.add_argument("scratch", type=Path, help="where the copies and the worktree go")
    parser.add_argument("--against", required=True, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    results = compare(args.published, args.scratch, args.against, args.rounds)
    (RESULTS / "site_steps.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(summary(results))


if __name__ == "__main__":
    main()
