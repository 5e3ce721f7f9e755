"""Measure the CPU of the site's two per-practice steps, the split and the practices' render,
in this process (no workers), onto a scratch folder (a memory file system keeps the disk out).

    python bench/render.py PUBLISHED /dev/shm/scratch                  # split, then every shard
    PYTHONPATH=/path/to/other/tree python bench/render.py PUBLISHED …   # another commit's code

PUBLISHED is a published folder (``nualod publish … --out PUBLISHED``); the scratch folder
is made and deleted. Run it alternately for two trees to compare them: on this machine only
same-run comparisons tell a change from the load.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path


def _cpu() -> tuple[float, float]:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime, used.ru_stime


def measure(published: Path, scratch: Path) -> dict[str, float]:
    """Split ``published/nualod.nq`` and render every shard under ``scratch``; return the
    seconds of each step and the render's CPU a practice."""
    from nualod.site import build
    from nualod.site.context import load_context
    from nualod.site.practices import render_shard
    from nualod.site.shards import split_quads

    scratch.mkdir(parents=True)
    try:
        user, system = _cpu()
        start = time.perf_counter()
        split = split_quads(published / "nualod.nq", scratch / "work" / "split", parts=1)
        split_user, split_system = _cpu()
        split_wall = time.perf_counter() - start
        context = load_context(split.context, published)
        site = build._site_info(context, build._root_base(split, context), "https://example.org/")
        out = scratch / "out"
        out.mkdir()
        before_user, before_system = _cpu()
        start = time.perf_counter()
        practices = sum(
            render_shard(split, number, out, context, site).practices for number in split.shards
        )
        after_user, after_system = _cpu()
        render_cpu = after_user - before_user + after_system - before_system
        return {
            "split_wall": split_wall,
            "split_cpu": split_user - user + split_system - system,
            "render_wall": time.perf_counter() - start,
            "render_cpu": render_cpu,
            "render_user": after_user - before_user,
            "practices": practices,
            "render_us_per_practice": render_cpu / max(practices, 1) * 1e6,
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("published", type=Path)
    parser.add_argument("scratch", type=Path, help="a folder to make and delete")
    args = parser.parse_args()
    figures = measure(args.published, args.scratch)
    print(
        f"split {figures['split_wall']:.2f} s (CPU {figures['split_cpu']:.2f} s); "
        f"render {figures['render_wall']:.2f} s (CPU {figures['render_cpu']:.2f} s, "
        f"user {figures['render_user']:.2f} s): "
        f"{figures['render_us_per_practice']:.0f} µs of CPU a practice, "
        f"{figures['practices']:.0f} practices"
    )


if __name__ == "__main__":
    main()
