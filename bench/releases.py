"""Releases at scale: a full publish, a republish with 1 % changed, and the diff between them.

    python -m bench.releases --data /tmp/bench-data --n 100000
    python -m bench.releases --data /tmp/bench-data --n 1000000
    python -m bench.releases --data /tmp/bench-data --n 1000000 --synthetic-diff
    python -m bench.releases --data /tmp/bench-data --n 100000 --against 29f4e72

Release 1 publishes the benchmark corpus (``DATA/pages``, written by :mod:`bench.generate`
if missing) with ``--release 1``. Release 2 reads a copy of it (hard links) in which one page
in a hundred has a corrected Deskripsi, and is published with ``--release 2 --previous OUT``
(changelog, tombstones, feed page, PROV-O included): incrementally, reusing release 1's work
on the pages that did not change. The same release 2 is then built again with ``--rebuild``
(every page read again) from a copy of OUT as it was after release 1, the baseline of the
same run; the two manifests (every file's size and SHA-256, the store aside) must be the
same bytes. Then ``nualod diff`` compares releases 1 and 2, and ``cp`` of release 2's files
(the store aside) into a new folder gives what writing those bytes costs on this disk.
Each step is a ``nualod`` command in its own process; the figures are its wall time, the
CPU time of all its processes (user and system, workers included: on a machine whose disk
moves the wall time from hour to hour, what a change to the code moves more surely) and the
peak resident memory of its largest process (``ru_maxrss`` of the step, its workers
included). The results go to ``bench/results/releases-N.json``. With ``--synthetic-diff``,
only the diff is measured, between two releases written directly (N practices of three
lines each, one in EVERY with another title): what ``nualod diff`` costs at a size whose
publish would take too long to repeat.

With ``--against REV``, the full publish and the republish of this checkout are measured
against those of commit REV (checked out in a git worktree, run with its own ``nualod``),
in rounds in which the two sides take turns: on a machine whose disk varies from one hour
to the next, one run per commit says little about a change, a run of each side back to
back says more. Each round checks that the two releases 2 have the same files; the results
go to ``bench/results/releases-N-compared.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import DEFAULT_SEED, corpus_inputs, page_name, write_pages
from bench.validate import process_pss, tree_pss

RESULTS = Path(__file__).resolve().parent / "results"
#: ``-P``: no current folder at the head of ``sys.path``. ``-c`` puts it there, before
#: ``PYTHONPATH``: run from a checkout, every side would import that checkout's ``nualod``.
CLI = [sys.executable, "-P", "-c", "from nualod.cli import main; main()"]
#: What the corrected pages say first in their Deskripsi.
CORRECTION = "Diperbarui: data pelatihan dikoreksi oleh pemerintah kota."


#: The checkout this benchmark belongs to: its ``nualod`` is the one measured.
CHECKOUT = Path(__file__).resolve().parent.parent


def compile_code(code: Path) -> None:
    """Compile checkout ``code``'s ``nualod`` to bytecode, as installing a wheel does.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it), a checkout run by
    path is compiled again by every process each run starts (the publish, its digest and
    store processes): about 0.2 s each, which a publisher's installed copy never pays.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(code / "nualod")],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def measure(args: list[str], code: Path = CHECKOUT, *, memory: bool = False) -> dict[str, float]:
    """Run ``nualod ARGS`` (the one of checkout ``code``) in a child that reports its wall
    time, the CPU time of its processes (user and system, its workers included: what the
    disk's moods do not move much) and its peak RSS (MiB): that of its largest process.

    With ``memory``, it also reads, every half second, the memory all the run's
    processes hold together (``peak_total_pss_mib``: the publish, its workers, its digest and
    store processes; PSS, so that what forked processes share counts once). Reading a
    large process's ``smaps_rollup`` takes CPU: times measured so are not compared.

    Every step starts with what the steps before it wrote on the disk (``sync``): else a
    republish run just after the full publish pays for writing that release's gigabytes
    out of the page cache (at 100,000 practices, 7 s of the kernel's time more), which a
    publisher who republishes a week later never does.
    """
    os.sync()
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "peak = usage.ru_maxrss / 1024\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps({'code': code, 'seconds': wall, 'cpu_seconds': cpu,"
        " 'peak_rss_mib': peak}))\n"
    )
    peak_total = 0
    # Files, not pipes: a run's warnings, unread while it is sampled, would fill a pipe.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-P", "-c", probe, *CLI, *args],
            stdout=out,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONPATH": str(code)},
        )
        while memory and child.poll() is None:
            # The run's processes: the probe's descendants (the probe itself left out).
            peak_total = max(peak_total, tree_pss(child.pid) - process_pss(child.pid))
            time.sleep(0.5)
        if child.wait() != 0:
            err.seek(0)
            raise SystemExit(f"the probe of nualod {' '.join(args)} failed: {err.read()}")
        out.seek(0)
        err.seek(0)
        reported, said = out.read(), err.read()
    figures: dict[str, float] = json.loads(reported)
    if figures["code"] not in (0, 1):
        raise SystemExit(f"nualod {' '.join(args)} failed: {said.strip()}")
    if memory:
        figures["peak_total_pss_mib"] = peak_total / 2**20
    return figures


def copy_floor(release: Path, target: Path) -> dict[str, float] | None:
    """Time ``cp`` of a release's files (its store and hidden files aside) into ``target``,
    and the ``sync`` after it: what writing its bytes costs on this disk, whatever builds
    them (then deleted). ``seconds`` is the copy, ``synced_seconds`` the copy and the sync.

    A release whose dumps must be byte-identical to a full build's writes whole new files:
    no incremental run can take less than this. None when the copy does not fit on the disk."""
    files = sorted(str(p) for p in release.iterdir() if p.is_file() and not p.name.startswith("."))
    target.mkdir()
    os.sync()  # start as the runs measured start: with what they wrote on the disk
    start = time.perf_counter()
    copied = subprocess.run(["cp", "--reflink=never", *files, str(target)], check=False)
    seconds = time.perf_counter() - start
    # The copy may end with its bytes still in the page cache: the floor with them on the
    # disk is the copy and a sync (no other writer runs then).
    os.sync()
    synced = time.perf_counter() - start
    if copied.returncode != 0:  # a full disk: say so (null), keep the other figures
        shutil.rmtree(target)
        return None
    size = sum(p.stat().st_size for p in target.iterdir())
    shutil.rmtree(target)
    return {"seconds": seconds, "synced_seconds": synced, "bytes": size}


def corrected_copy(corpus: Path, n: int, target: Path, every: int) -> int:
    """Link pages 0..n-1 into ``target``, writing every ``every``-th one corrected; return
    how many were corrected."""
    corrected = 0
    for index in range(n):
        name = page_name(index)
        source, copy = corpus / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if index % every == every // 2:
            text = source.read_text(encoding="utf-8")
            copy.write_text(text.replace("Deskripsi:\n", f"Deskripsi:\n{CORRECTION} ", 1), "utf-8")
            corrected += 1
        else:
            os.link(source, copy)
    return corrected


def synthetic_release(folder: Path, version: str, n: int, every: int) -> None:
    """Write a release folder that ``nualod diff`` reads: ``n`` practices, each a few
    N-Triples lines in ``nualod.nt``, indexed in ``practices-index.tsv`` (release "2"
    changes the title of one practice in ``every``)."""
    from nualod.releases.history import LIVE, IndexEntry, description_digest, write_index
    from nualod.releases.layout import manifest_bytes

    folder.mkdir(parents=True)
    entries = []
    offset = 0
    with (folder / "nualod.nt").open("wb") as dump:
        for index in range(n):
            iri = f"https://w3id.org/nualod/id/practice/10-47-33.75-{index:016x}"
            title = f"Praktik {index}" + (
                " (dikoreksi)" if version == "2" and index % every == 0 else ""
            )
            lines = (
                f'<{iri}> <http://purl.org/dc/terms/title> "{title}"@id .\n'
                f"<{iri}> <http://purl.org/dc/terms/spatial> <https://w3id.org/nualod/id/region/33.75> .\n"
                f'<{iri}> <http://purl.org/dc/terms/issued> "2025-12-18"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
            ).encode()
            dump.write(lines)
            entries.append(IndexEntry(iri, LIVE, description_digest(lines), "", offset, len(lines)))
            offset += len(lines)
    write_index(folder / "practices-index.tsv", entries)
    (folder / "release.json").write_bytes(manifest_bytes(version, []))


def side_order(round_number: int) -> tuple[str, str]:
    """Return which side runs first in a round of an A/B comparison: they take turns, so
    that neither always meets the disk as the other left it.

    >>> [side_order(r) for r in range(3)]
    [('this', 'against'), ('against', 'this'), ('this', 'against')]
    """
    return ("this", "against") if round_number % 2 == 0 else ("against", "this")


def commit_of(code: Path) -> str:
    """Return the commit checked out in ``code`` (with ``+changes`` if its tree differs)."""
    head = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    changed = subprocess.run(
        # A run's own results (bench/results/) are not a change to the code it measures.
        ["git", "-C", str(code), "status", "--porcelain", "--untracked-files=no", "--",
         ".", ":(exclude)bench/results"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return head + ("+changes" if changed else "")


def compare(args: argparse.Namespace, corpus: Path, work: Path) -> dict[str, object]:
    """Measure the full publish and the republish of this checkout against those of commit
    ``args.against`` (checked out in a worktree), in ``args.rounds`` rounds, the two sides
    taking turns; each round checks that the two releases 2 have the same files."""
    other = work / "against"
    subprocess.run(
        ["git", "-C", str(CHECKOUT), "worktree", "add", "--detach", str(other), args.against],
        check=True, capture_output=True,
    )  # fmt: skip
    codes = {"this": CHECKOUT, "against": other}
    compile_code(other)
    try:
        second = work / "pages-2"
        corrected = corrected_copy(corpus, args.n, second, args.every)
        inputs_1 = [str(p) for p in corpus_inputs(corpus, args.n)]
        inputs_2 = [str(p) for p in corpus_inputs(second, args.n)]
        options = ["--no-figures"] if args.no_figures else []
        runs: list[dict[str, object]] = []
        for round_number in range(args.rounds):
            manifests = {}
            for side in side_order(round_number):
                out = work / f"out-{side}"
                full = measure(
                    ["publish", *inputs_1, "--out", str(out), "--release", "1", *options],
                    codes[side],
                )
                republish = measure(
                    ["publish", *inputs_2, "--out", str(out), *options, "--release", "2",
                     "--previous", str(out)],
                    codes[side],
                )  # fmt: skip
                manifests[side] = (out / "releases" / "2" / "release.json").read_bytes()
                runs.append(
                    {"round": round_number, "side": side, "full_publish": full,
                     "republish": republish}
                )  # fmt: skip
                # The manifest is what the other side is checked against: the files can go
                # (at a million, two sides' releases do not fit beside the corpus).
                shutil.rmtree(out, ignore_errors=True)
            runs[-1]["same_files_as_other_side"] = manifests["this"] == manifests["against"]
            runs[-1]["files_differing"] = differing_files(manifests["this"], manifests["against"])
        return {
            "n": args.n, "corrected": corrected, "figures": not args.no_figures,
            "this": commit_of(CHECKOUT), "against": commit_of(other), "runs": runs,
        }  # fmt: skip
    finally:
        subprocess.run(
            ["git", "-C", str(CHECKOUT), "worktree", "remove", "--force", str(other)],
            check=False, capture_output=True,
        )  # fmt: skip


def differing_files(one: bytes, other: bytes) -> list[str]:
    """Return the names of the files two release manifests (``release.json``) list with other
    bytes, or list only one of them: a change of the code that changes a page, but no dump,
    shows as that page alone.

    >>> differing_files(b'{"files": {"a": {"sha256": "1"}, "b": {"sha256": "2"}}}',
    ...                 b'{"files": {"a": {"sha256": "1"}, "b": {"sha256": "3"}, "c": {}}}')
    ['b', 'c']
    """
    first, second = json.loads(one)["files"], json.loads(other)["files"]
    return sorted(
        name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
    )


def print_comparison(results: dict[str, object]) -> None:
    """Print each run of an A/B comparison, and each side's republish as a ratio of its
    own full publish."""
    runs = results["runs"]
    assert isinstance(runs, list)
    names = {"this": results["this"], "against": results["against"]}
    for run in runs:
        full, republish = run["full_publish"], run["republish"]
        print(
            f"round {run['round']} {names[run['side']]!s:>16}: full {full['seconds']:7.1f} s,"
            f" republish {republish['seconds']:6.1f} s"
            f" ({republish['seconds'] / full['seconds']:.2f}), {republish['peak_rss_mib']:.0f} MiB;"
            f" CPU full {full['cpu_seconds']:.1f} s, republish"
            f" {republish['cpu_seconds']:.1f} s"
        )
        if "same_files_as_other_side" in run:
            print(f"  the two releases 2 have the same files: {run['same_files_as_other_side']}")
            if run.get("files_differing"):
                print(f"  files that differ: {', '.join(run['files_differing'])}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="corpus folder (as for bench)")
    parser.add_argument("--n", type=int, default=100_000, help="practices to publish")
    parser.add_argument("--every", type=int, default=100, help="correct one page in EVERY")
    parser.add_argument(
        "--no-figures",
        action="store_true",
        help="publish without figures (a dump a quarter the size: two releases of a million "
        "fit on a smaller disk)",
    )
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="leave out the --rebuild of release 2 (and the check that its files are the "
        "same): half the time at a million",
    )
    parser.add_argument(
        "--synthetic-diff",
        action="store_true",
        help="only the diff, between two synthetic releases of N practices (no publish)",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="compare: the full publish and the republish of this checkout against those of "
        "commit REV, the two taking turns (no rebuild, diff or copy floor)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of a comparison")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also sample the memory of all the processes of the full publish and the "
        "republish together (peak PSS); it takes some CPU, so their times are not compared",
    )
    args = parser.parse_args(argv)
    compile_code(CHECKOUT)
    if args.against:
        corpus = write_pages(args.data / "pages", args.n, DEFAULT_SEED)
        work = Path(tempfile.mkdtemp(prefix="nualod-compare-", dir=args.data))
        try:
            compared = compare(args, corpus, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        RESULTS.mkdir(exist_ok=True)
        name = f"releases-{args.n}" + ("-no-figures" if args.no_figures else "") + "-compared"
        (RESULTS / f"{name}.json").write_text(json.dumps(compared, indent=2) + "\n")
        print_comparison(compared)
        return
    if args.synthetic_diff:
        work = Path(tempfile.mkdtemp(prefix="nualod-diff-", dir=args.data))
        try:
            synthetic_release(work / "1", "1", args.n, args.every)
            synthetic_release(work / "2", "2", args.n, args.every)
            figures = measure(["diff", str(work / "1"), str(work / "2"), "--format", "json"])
        finally:
            shutil.rmtree(work, ignore_errors=True)
        RESULTS.mkdir(exist_ok=True)
        result = {"n": args.n, "every": args.every, "diff": figures}
        (RESULTS / f"releases-diff-{args.n}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(f"diff of {args.n}: {figures['seconds']:.1f} s, {figures['peak_rss_mib']:.0f} MiB")
        return
    corpus = write_pages(args.data / "pages", args.n, DEFAULT_SEED)
    work = Path(tempfile.mkdtemp(prefix="nualod-releases-", dir=args.data))
    try:
        second = work / "pages-2"
        corrected = corrected_copy(corpus, args.n, second, args.every)
        out = work / "out"
        rebuilt = work / "rebuilt"
        inputs_1 = [str(p) for p in corpus_inputs(corpus, args.n)]
        inputs_2 = [str(p) for p in corpus_inputs(second, args.n)]
        results: dict[str, object] = {
            "n": args.n, "corrected": corrected, "figures": not args.no_figures,
        }  # fmt: skip
        options = ["--no-figures"] if args.no_figures else []
        results["full_publish"] = measure(
            ["publish", *inputs_1, "--out", str(out), "--release", "1", *options],
            memory=args.memory,
        )
        # Release 1's files never change once written: hard links make the copy.
        if not args.no_rebuild:
            subprocess.run(["cp", "-al", str(out), str(rebuilt)], check=True)
        follow = [*options, "--release", "2", "--previous"]
        results["republish"] = measure(
            ["publish", *inputs_2, "--out", str(out), *follow, str(out)], memory=args.memory
        )
        if not args.no_rebuild:
            results["rebuild"] = measure(
                ["publish", *inputs_2, "--out", str(rebuilt), *follow, str(rebuilt), "--rebuild"]
            )
            manifest = (out / "releases" / "2" / "release.json").read_bytes()
            results["same_files_as_rebuild"] = (
                manifest == (rebuilt / "releases" / "2" / "release.json").read_bytes()
            )
        shutil.rmtree(rebuilt, ignore_errors=True)
        results["copy_floor"] = copy_floor(out / "releases" / "2", work / "floor")
        results["diff"] = measure(
            ["diff", str(out / "releases" / "1"), str(out / "releases" / "2"), "--format", "json"]
        )
        log = json.loads((out / "releases" / "2" / "changelog.json").read_text(encoding="utf-8"))
        results["changelog_counts"] = log["counts"]
        results["machine"] = {
            "python": platform.python_version(),
            "cpus": len(os.sched_getaffinity(0)),
            "load_average": os.getloadavg(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    name = f"releases-{args.n}" + ("-no-figures" if args.no_figures else "")
    name += "-memory" if args.memory else ""  # its times are not those of the README's table
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    full = results["full_publish"]
    assert isinstance(full, dict)
    for step in ("full_publish", "republish", "rebuild", "diff"):
        if step not in results:
            continue
        step_figures = results[step]
        assert isinstance(step_figures, dict)
        figures = step_figures
        ratio = figures["seconds"] / full["seconds"]
        together = figures.get("peak_total_pss_mib")
        print(
            f"{step:13} {figures['seconds']:8.1f} s  {figures['peak_rss_mib']:7.0f} MiB"
            f"  {ratio:5.2f} of the full publish  (CPU {figures['cpu_seconds']:.1f} s)"
            + (f"  all processes {together:.0f} MiB" if together is not None else "")
        )
    floor = results["copy_floor"]
    if isinstance(floor, dict):
        print(
            f"{'copy floor':13} {floor['seconds']:8.1f} s  {floor['bytes'] / 1e9:6.2f} GB"
            f"  {floor['seconds'] / full['seconds']:5.2f} of the full publish"
        )
        print(
            f"{'  and sync':13} {floor['synced_seconds']:8.1f} s  {'':9}"
            f"  {floor['synced_seconds'] / full['seconds']:5.2f} of the full publish"
        )
    else:
        print(f"{'copy floor':13} did not fit on the disk")
    print(f"changelog: {results['changelog_counts']}")
    if "same_files_as_rebuild" in results:
        print(f"incremental release 2 has the rebuild's files: {results['same_files_as_rebuild']}")


if __name__ == "__main__":
    main()
