"""Benchmark the Indonesian figures reader: precision, recall and speed against quantulum3 on
the labelled set (``tests/fixtures/figures/sentences.tsv``), and what figures cost a publish.

    python -m bench.figures                      # the reader against quantulum3
    python -m bench.figures --publish 100000     # and a publish of N practices, with and without figures
    python -m bench.figures --stages 5000        # and each stage's CPU, with and without figures

A hit is the exact words at the same place with the same value and unit; a lenient hit
only asks the value and unit of a figure whose words overlap a labelled one (quantulum3 cuts
words differently: it reads "871" where the set says "871 UMKM"). quantulum3 (from the
``bench`` extra) reads English; its units are mapped to the set's unit keys by name. The
publish measurement runs each publish in a fresh process (as ``python -m bench`` does) on the
benchmark's synthetic corpus, whose texts state figures. Results go to
``bench/results/figures.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from bench.generate import DEFAULT_SEED, corpus_inputs, write_pages
from tests.figures_labels import LABELS, Found, Sentence, load_sentences, score

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

#: quantulum3's unit names, as the set's unit keys.
QUANTULUM_UNITS = {
    "dimensionless": "NUM",
    "percentage": "PERCENT",
    "united states dollar": "USD",
    "euro": "EUR",
    "indonesian rupiah": "IDR",
    "tonne": "TONNE",
    "ton": "TONNE",
    "kilogram": "KiloGM",
    "kilometre": "KiloM",
    "metre": "M",
    "hectare": "HA",
    "square metre": "M2",
    "square kilometre": "KiloM2",
    "litre": "L",
    "cubic metre": "M3",
    "litre per second": "L-PER-SEC",
    "cubic metre per second": "M3-PER-SEC",
    "kilowatt": "KiloW",
    "megawatt": "MegaW",
    "kilowatt hour": "KiloW-HR",
    "megabit per second": "MegaBIT-PER-SEC",
    "gigabit per second": "GigaBIT-PER-SEC",
    "year": "YR",
    "month": "MO",
    "week": "WK",
    "day": "DAY",
    "hour": "HR",
    "minute": "MIN",
}


def nualod_reader() -> Callable[[str], list[Found]]:
    """Return nualod's reader as the scorer calls it."""
    from nualod.figures import read_figures

    def read(text: str) -> list[Found]:
        return [(f.start, f.end, f.value, f.unit) for f in read_figures(text)]

    return read


def quantulum_reader() -> Callable[[str], list[Found]]:
    """Return quantulum3's parser as the scorer calls it (its values as decimals, its unit
    names as the set's keys; a unit it has no key for stays its own name)."""
    with warnings.catch_warnings():
        # It warns at import that its optional classifier is not installed; it runs without.
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    def read(text: str) -> list[Found]:
        found = []
        for quantity in parser.parse(text):
            value = Decimal(repr(quantity.value))
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            unit = QUANTULUM_UNITS.get(quantity.unit.name, quantity.unit.name)
            found.append((quantity.span[0], quantity.span[1], value, unit))
        return found

    return read


def speed(read: Callable[[str], Iterable[Found]], texts: list[str], seconds: float = 2.0) -> float:
    """Return sentences read per second, reading the texts over and over for ``seconds``."""
    done = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for text in texts:
            list(read(text))
        done += len(texts)
    return done / elapsed


def compare(sentences: list[Sentence], seconds: float) -> dict[str, Any]:
    """Score and time nualod's reader and quantulum3 on the labelled sentences."""
    texts = [s.text for s in sentences]
    report: dict[str, Any] = {
        "set": LABELS.name,
        "sentences": len(sentences),
        "figures": sum(len(s.figures) for s in sentences),
        "distractors": sum(len(s.distractors) for s in sentences),
    }
    for name, make in (("nualod", nualod_reader), ("quantulum3", quantulum_reader)):
        read = make()
        result = score(sentences, read)
        report[name] = {
            "precision": result.precision,
            "recall": result.recall,
            "lenient_precision": result.lenient_precision,
            "lenient_recall": result.lenient_recall,
            "distractors_taken": result.false_rate,
            "sentences_per_s": speed(read, texts, seconds),
        }
    return report


def table(report: dict[str, Any]) -> str:
    """Return the comparison as a text table.

    >>> row = {"precision": 1, "recall": 0.5, "lenient_precision": 1, "lenient_recall": 0.5,
    ...        "distractors_taken": 0, "sentences_per_s": 1000}
    >>> print(table({"sentences": 2, "figures": 2, "distractors": 1, "nualod": row}).splitlines()[2])
    nualod           1.000   0.500      1.000    0.500      0.0%          1,000
    """
    lines = [
        f"{report['sentences']} sentences, {report['figures']} figures, "
        f"{report['distractors']} distractors",
        "reader        precision  recall  (lenient P    R)  distractors  sentences/s",
    ]
    for name in ("nualod", "quantulum3"):
        if name in report:
            r = report[name]
            lines.append(
                f"{name:<14}{r['precision']:>8.3f}{r['recall']:>8.3f}"
                f"{r['lenient_precision']:>11.3f}{r['lenient_recall']:>9.3f}"
                f"{r['distractors_taken']:>10.1%}{r['sentences_per_s']:>15,.0f}"
            )
    return "\n".join(lines)


def _cpu_seconds() -> float:
    """Return the CPU time (user and system) of this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _child(n: int, corpus: Path, out: Path, kind: str) -> None:
    """Publish in this (fresh) process and print the wall and CPU time as JSON.

    On a shared machine the CPU time says more than the wall time: it does not count the
    time other programs had the cores. ``kind`` is ``with`` or ``without`` (figures), and
    ``-no-store`` after it publishes with a store that loads nothing: the N-Quads are read
    slice by slice as for loading, but not given to the store, so what RocksDB (and
    pyoxigraph's loader) costs is left out.
    """
    from nualod.run.publish import publish

    if kind.endswith("-no-store"):
        _load_nothing()
    inputs = corpus_inputs(corpus, n)
    start, cpu = time.perf_counter(), _cpu_seconds()
    publish(inputs, out, figures=kind.startswith("with-") or kind == "with")
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    with (out / "nualod.nq").open("rb") as quads:
        triples = sum(1 for _ in quads)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "triples": triples}))


def _load_nothing() -> None:
    """Make the publish's background store load read the N-Quads and load none of them."""
    from nualod.write import store

    def read_only(self: store.BackgroundLoad) -> None:
        loaded = written = 0
        finished = False
        with self.nquads.open("rb") as stream:
            while not finished:
                size = self._written.get()
                if size is None:
                    finished = True
                else:
                    written = max(written, size)
                while written - loaded >= store.FIRST_SLICE_BYTES or (
                    finished and written > loaded
                ):
                    chunk = store.whole_lines(stream.fileno(), loaded, written, self.slice_bytes)
                    loaded += len(chunk)

    store.BackgroundLoad._load = read_only  # type: ignore[method-assign]
    # The store is loaded in a process of its own (ProcessLoad): the same there.
    store._LOADING_PROCESS = (  # type: ignore[misc]
        "from bench.figures import _load_nothing; _load_nothing()\n"
        "from nualod.write.store import follow_orders; follow_orders()\n"
    )


KINDS: Final = ("without", "with", "without-no-store", "with-no-store")


def publish_cost(n: int, data: Path, repeat: int) -> dict[str, Any]:
    """Publish ``n`` practices with and without figures, alternating, ``repeat`` times each;
    return the medians and the cost of figures as a share of the publish without them."""
    corpus = write_pages(data / "pages", n, DEFAULT_SEED)
    work = Path(tempfile.mkdtemp(prefix="nualod-figures-"))
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    try:
        for _ in range(repeat):
            for kind in KINDS:
                out = work / kind
                shutil.rmtree(out, ignore_errors=True)
                command = [sys.executable, "-m", "bench.figures", "--child", str(n), str(corpus)]
                command += [str(out), kind]
                done = subprocess.run(
                    command, cwd=ROOT, capture_output=True, text=True, check=False
                )
                if done.returncode != 0:
                    raise SystemExit(f"publish {kind} figures failed:\n{done.stderr[-4000:]}")
                runs[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
                shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def median(kind: str, key: str) -> float:
        values = sorted(r[key] for r in runs[kind])
        return values[(len(values) - 1) // 2]

    return {
        "n": n,
        "runs": runs,
        "seconds_with": median("with", "seconds"),
        "seconds_without": median("without", "seconds"),
        "cost": median("with", "seconds") / median("without", "seconds") - 1,
        "cpu_seconds_with": median("with", "cpu_seconds"),
        "cpu_seconds_without": median("without", "cpu_seconds"),
        "cpu_cost": median("with", "cpu_seconds") / median("without", "cpu_seconds") - 1,
        "cpu_seconds_with_no_store": median("with-no-store", "cpu_seconds"),
        "cpu_seconds_without_no_store": median("without-no-store", "cpu_seconds"),
        "cpu_cost_no_store": median("with-no-store", "cpu_seconds")
        / median("without-no-store", "cpu_seconds")
        - 1,
        "triples_with": runs["with"][0]["triples"],
        "triples_without": runs["without"][0]["triples"],
    }


def stage_costs(n: int, data: Path, repeat: int) -> dict[str, Any]:
    """Time each stage a practice goes through in a worker, in this process, with and
    without figures, on ``n`` practices in jobs of the pipeline's size; return the medians
    of the CPU seconds by stage.

    Reading the pages is done once (figures do not change it); the reader of figures is
    timed apart, then again inside the mapping, which calls it.
    """
    import gc

    from nualod.figures import read_figures
    from nualod.link.practice import link_practice
    from nualod.map.practice import practice_parts, region_triples
    from nualod.model.collector import GC_THRESHOLD
    from nualod.model.triples import Described, TermTriple
    from nualod.read.inputs import discover_names, read_page_at
    from nualod.releases.history import description_digest
    from nualod.run import pipeline
    from nualod.validate.fast import validator_for
    from nualod.write.dumps import render_plain

    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])  # as a publish runs
    corpus = write_pages(data / "pages", n, DEFAULT_SEED)
    names = discover_names([str(p) for p in corpus_inputs(corpus, n)])[:n]
    work = Path(tempfile.mkdtemp(prefix="nualod-stages-"))
    settings = pipeline.Settings(base="https://w3id.org/nualod/id/", spool=work)
    iris, mapper, _, turtle = pipeline._context(settings)
    validate = validator_for("fast")
    clock = time.process_time
    start = clock()
    linked = [link_practice(read_page_at(name)) for name in names]
    read = clock() - start
    times: dict[str, list[dict[str, float]]] = {"without": [], "with": []}
    try:
        for _ in range(repeat):
            for kind in ("without", "with"):
                figures = kind == "with"
                spent = {"read": read}
                start = clock()
                if figures:
                    for one in linked:
                        for text in (one.practice.summary, one.practice.description):
                            if text:
                                read_figures(text)
                spent["figures reader (alone)"] = clock() - start
                start = clock()
                records = [(one, *practice_parts(one, iris, figures=figures)) for one in linked]
                spent["map (with the reader)"] = clock() - start
                start = clock()
                for at in range(0, len(records), pipeline.JOB_SIZE):
                    context: list[TermTriple] = []
                    nodes: list[Described] = []
                    regions: set[str] = set()
                    for one, own, _, found, _ in records[at : at + pipeline.JOB_SIZE]:
                        context += own
                        for figure in found:
                            nodes += figure.described()
                        if one.region.code not in regions:
                            regions.add(one.region.code)
                            context += region_triples(one.region, iris)
                        for node in mapper.shared_nodes(one).values():
                            context += node
                    recurring = {iris.region(code) for code in regions}
                    validate(context, describe=False, recurring=recurring, nodes=nodes)
                spent["validate"] = clock() - start
                start = clock()
                graph = iris.graph("practices")
                rendered = [
                    render_plain(graph, plain, turtle, iris.base, found)
                    for _, _, plain, found, _ in records
                ]
                spent["render (4 formats, counts)"] = clock() - start
                start = clock()
                for group in rendered:
                    description_digest(group.ntriples)
                spent["digest"] = clock() - start
                times[kind].append(spent)
                del records, rendered
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def median(kind: str, stage: str) -> float:
        values = sorted(t[stage] for t in times[kind])
        return values[(len(values) - 1) // 2]

    stages = list(times["with"][0])
    return {
        "n": n,
        "cpu_seconds": {
            kind: {stage: median(kind, stage) for stage in stages} for kind in ("without", "with")
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.figures", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="time each reader this long")
    parser.add_argument(
        "--publish", type=int, metavar="N", help="also publish N practices with and without figures"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="publishes of each kind (the median is reported)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "nualod-bench",
        help="corpus folder",
    )
    parser.add_argument("--skip-readers", action="store_true", help="only the publish measurement")
    parser.add_argument(
        "--stages",
        type=int,
        metavar="N",
        help="also time each stage of N practices in this process, with and without figures",
    )
    parser.add_argument(
        "--child", nargs=4, metavar=("N", "CORPUS", "OUT", "KIND"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        n, corpus, out, kind = args.child
        _child(int(n), Path(corpus), Path(out), kind)
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    report: dict[str, Any] = {}
    if not args.skip_readers:
        report = compare(load_sentences(), args.seconds)
        print(table(report))
    if args.stages:
        staged = stage_costs(args.stages, args.data, args.repeat)
        report["stages"] = staged
        print(f"stages of {staged['n']:,} practices, CPU seconds: without figures, with")
        without, with_ = staged["cpu_seconds"]["without"], staged["cpu_seconds"]["with"]
        for stage in with_:
            print(f"  {stage:<28}{without[stage]:>8.2f}{with_[stage]:>8.2f}")
    if args.publish:
        cost = publish_cost(args.publish, args.data, args.repeat)
        report["publish"] = cost
        print(
            f"publish of {cost['n']:,} practices: {cost['seconds_without']:.1f} s without figures, "
            f"{cost['seconds_with']:.1f} s with ({cost['cost']:+.1%}); CPU "
            f"{cost['cpu_seconds_without']:.1f} s and {cost['cpu_seconds_with']:.1f} s "
            f"({cost['cpu_cost']:+.1%}); {cost['triples_without']:,} and "
            f"{cost['triples_with']:,} triples"
        )
        print(
            f"  with a store that loads nothing: CPU {cost['cpu_seconds_without_no_store']:.1f} s "
            f"without figures, {cost['cpu_seconds_with_no_store']:.1f} s with "
            f"({cost['cpu_cost_no_store']:+.1%}); the store's share: "
            f"{cost['cpu_seconds_without'] - cost['cpu_seconds_without_no_store']:.1f} s and "
            f"{cost['cpu_seconds_with'] - cost['cpu_seconds_with_no_store']:.1f} s"
        )
    report["machine"] = (
        f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "figures.json"
    # Each measurement replaces its own entry: a run of --stages keeps the last --publish.
    kept = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**kept, **report}, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
