"""Benchmark lessonpack against pandoc and against the WeasyPrint floor; run with `make bench`.

Generates packs of realistic lessons (the sample unit's lessons without their sources: 4–6 pages per
edition, every item type) and measures, side by side in one session, as medians of repeated runs of
the real command line:

- one lesson, student and teacher, PDF and DOCX: lessonpack vs pandoc making the same four files from
  Markdown of the same handouts (its PDFs through its WeasyPrint engine);
- cold builds of every pack size with the default jobs (vs pandoc making the same per-lesson files, as
  many at once as there are cores) and with --jobs 1 (vs the floor: WeasyPrint laying out and writing
  lessonpack's own HTML for the same documents in one warm process, plus python-docx writing the same
  DOCX);
- the no-change rebuild, the rebuild after editing one lesson, the peak memory of all processes
  together, and `lessonpack check` / `--help` of the sample unit.

Prints a Markdown report (machine, table, each target met or not) for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent

MEASURE = r"""
import os, subprocess, sys, time

def children(pid):
    # From the kernel's list of each thread's children: reading every process on the machine 50 times a
    # second would take a share of the CPU the measured build needs.
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        pass
    return found

def memory_kib(pid):
    # Proportional set size: a page shared by the build and the workers it forked counts once in all, not
    # once in each (resident sizes added up count the build's own memory again for every worker).
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        with open(f"/proc/{pid}/status") as f:  # no smaps_rollup (Linux before 4.14): resident size
            return next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)

def tree_memory_kib(root):
    # Memory of a process and all its descendants (workers included), from /proc.
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += memory_kib(pid)
        except (OSError, ValueError, IndexError):
            continue
        todo += children(pid)
    return total

start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_memory_kib(proc.pid))
    time.sleep(0.02)
seconds = time.perf_counter() - start
print(f"{proc.returncode} {seconds:.4f} {peak}")
"""

STARTUP = ("import lessonpack.apps.cli, lessonpack.building.builder, lessonpack.building.worker, lessonpack.render.pdf, lessonpack.render.docx; "
           "import os; os._exit(0)")  # as the command line ends

FLOOR = r"""
# The floor: the same documents rendered by WeasyPrint and python-docx alone, in one warm process: each
# lesson's PDFs and Word documents, and each unit PDF's front matter (its only pages WeasyPrint lays out;
# the lessons' pages are copied into it, which is lessonpack's own work).
import sys, time
from pathlib import Path
from lessonpack.building.assemble import lesson_pages, open_pdf
from lessonpack.building.jobs import lesson_output_path, plan_jobs, resolve
from lessonpack.building.worker import front_matter, plan_context, plan_handout, worker_init
from lessonpack.load.pack import load_pack
from lessonpack.render.docx import render_docx_with_warnings
from lessonpack.render.html import page_css, render_html
from lessonpack.render import pdf

pack = load_pack(Path(sys.argv[1]))
settings = resolve(pack, formats=["pdf", "docx"])
worker_init()
context = plan_context(settings)
work = []
for job in plan_jobs(pack, settings):
    if job.lesson is None:  # the unit's front matter as the build lays it out, from the build's lesson PDFs
        pages = [lesson_pages(open_pdf(lesson_output_path(settings, one, job.edition, "pdf").read_bytes()))
                 for one in pack.lessons]
        work.append(("front", front_matter(job, pack, settings, pages)[0], None))
        continue
    handout = plan_handout(job.lesson, job.edition, context, settings, pack.root)  # lines: fill counted (untimed)
    if job.format == "pdf":
        work.append(("pdf", render_html(handout, settings.style, settings.paper, pack_root=pack.root),
                     page_css(settings.style, settings.paper, handout.running)))
    else:
        work.append(("docx", handout, None))

def run_all():
    for kind, a, b in work:
        if kind == "pdf":
            pdf._layout(a, b, settings.style, settings.paper, pack.root, None, None).write_pdf(pdf_variant="pdf/ua-1")
        elif kind == "front":
            pdf.layout_front_matter(a, settings.style, settings.paper, pack_root=pack.root).write_pdf(
                pdf_variant="pdf/ua-1")
        else:
            render_docx_with_warnings(a, settings.style, settings.paper)

run_all()  # warm: fonts loaded, stylesheets parsed
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    run_all()
    times.append(time.perf_counter() - start)
print(" ".join(f"{t:.4f}" for t in times))
"""


def make_pack(folder: Path, lessons: int) -> Path:
    """A pack of ``lessons`` lessons made from the sample unit's, without their sources (4–6 pages each)."""
    (folder / "lessons").mkdir(parents=True)
    samples = sorted((REPO / "lessons").glob("*.yaml"))
    for n in range(lessons):
        data = yaml.safe_load(samples[n % len(samples)].read_text("utf-8"))
        data.pop("sources", None)
        items = data.get("worksheet", {}).get("items", [])
        data["worksheet"]["items"] = [i for i in items if "source" not in i and i.get("type") != "source_analysis"]
        data["title"] = f"{data['title']}, part {n + 1}"
        (folder / "lessons" / f"l{n + 1:03d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")
    (folder / "lessonpack.yaml").write_text(
        "title: Benchmark Unit\nid: bench\nschool: Benchmark School\nformats: [pdf, docx]\n", "utf-8")
    return folder


CACHE: dict[str, str] = {}
"""The checked-lesson cache the measured commands use: the benchmark's own folder (set in main)."""


def measure(*command: str, cached: bool = True) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB, the process and its children together) of one command; with
    ``cached`` False, nothing is remembered from earlier runs (every lesson is parsed and checked)."""
    env = {**os.environ, "LESSONPACK_CACHE_DIR": CACHE["dir"] if cached else "off"}
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    if int(out[0]) != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {out[0]}")
    return float(out[1]), int(out[2]) / 1024


def lessonpack(*args: str) -> list[str]:
    return [sys.executable, "-m", "lessonpack", *args]


class Figures:
    """Every measured figure: name → list of seconds (and peak MiB)."""

    def __init__(self, runs: int):
        self.runs = runs
        self.times: dict[str, list[float]] = {}
        self.peaks: dict[str, float] = {}

    def add(self, name: str, seconds: float, peak: float | None = None) -> None:
        self.times.setdefault(name, []).append(seconds)
        if peak is not None:
            self.peaks[name] = max(self.peaks.get(name, 0.0), peak)
        print(f"  {name}: {seconds:.2f} s" + (f", {peak:.0f} MiB" if peak else ""), file=sys.stderr, flush=True)

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def pandoc_sources(pack: Path, work: Path) -> dict[str, Path]:
    """Markdown of each distinct lesson's two editions, made by pandoc from lessonpack's HTML (untimed)."""
    html = work / "html"
    subprocess.run(lessonpack("build", str(pack), "-o", str(html), "-f", "html", "-q", "--no-pack"), check=True)
    out = {}
    for page in sorted(html.rglob("*.html")):
        md = work / "md" / (page.stem + ".md")
        md.parent.mkdir(exist_ok=True)
        subprocess.run(["pandoc", "-f", "html", "-t", "markdown", "-s", str(page), "-o", str(md)], check=True)
        out[page.stem] = md
    return out


def pandoc_files(sources: dict[str, Path], out: Path, parallel: int) -> float:
    """Seconds pandoc takes to make a PDF (WeasyPrint engine) and a DOCX of every Markdown source."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    commands = [["pandoc", str(md), "-o", str(out / f"{name}.{ext}")] + (["--pdf-engine=weasyprint"] if ext == "pdf"
                                                                         else [])
                for name, md in sources.items() for ext in ("pdf", "docx")]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        for result in pool.map(lambda c: subprocess.run(c, env=env, capture_output=True), commands):
            if result.returncode:
                raise SystemExit(f"pandoc failed: {result.stderr.decode()[:500]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,20,100", help="pack sizes, comma-separated (default 1,20,100)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (default 5)")
    parser.add_argument("--no-pandoc", action="store_true", help="skip the pandoc peer")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    runs = options.runs
    cpus = os.cpu_count() or 1
    have_pandoc = shutil.which("pandoc") is not None and not options.no_pandoc
    # Measured as installed: with every module compiled (an environment may forbid writing bytecode, and then
    # each run would compile the modules changed since the last writing one).
    import compileall
    compileall.compile_dir(REPO / "src" / "lessonpack", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="lessonpack-bench-"))
    CACHE["dir"] = str(work / "cache")
    fig = Figures(runs)
    print(f"lessonpack benchmark: sizes {sizes}, {runs} runs each, {cpus} CPUs", file=sys.stderr)

    for _ in range(runs):  # start-up and check of the sample unit
        fig.add("check of the sample unit, nothing cached", measure(*lessonpack("check", str(REPO)), cached=False)[0])
        fig.add("check of the sample unit", measure(*lessonpack("check", str(REPO)))[0])
        fig.add("--help", measure(*lessonpack("--help"))[0])
        fig.add("start-up: Python with lessonpack's renderers imported", measure(sys.executable, "-c", STARTUP)[0])

    for size in sizes:
        pack = make_pack(work / f"pack-{size}", size)
        dist = pack / "dist"
        sources = pandoc_sources(pack, work / f"pandoc-{size}") if have_pandoc else {}
        target = [str(pack / "lessons" / "l001.yaml")] if size == 1 else [str(pack)]
        for n in range(runs):
            shutil.rmtree(dist, ignore_errors=True)
            seconds, peak = measure(*lessonpack("build", *target, "-q"), cached=False)
            fig.add(f"{size}: cold, default jobs", seconds, peak)
            if have_pandoc:
                fig.add(f"{size}: pandoc, same files", pandoc_files(sources, work / "pandoc-out", cpus))
            shutil.rmtree(dist, ignore_errors=True)
            seconds, peak = measure(*lessonpack("build", *target, "-q", "--jobs", "1"), cached=False)
            fig.add(f"{size}: cold, --jobs 1", seconds, peak)
        floor = subprocess.run([sys.executable, "-c", FLOOR, str(pack), str(runs)], capture_output=True, text=True,
                               check=True).stdout.split()
        for seconds in floor:
            fig.add(f"{size}: floor (WeasyPrint + python-docx, warm)", float(seconds))
        for n in range(runs):
            fig.add(f"{size}: no-change rebuild", measure(*lessonpack("build", *target, "-q"))[0])
        if size > 1:
            lesson = pack / "lessons" / "l002.yaml"
            original = lesson.read_text("utf-8")
            for n in range(runs):
                lesson.write_text(original.replace("title: ", f"title: Edit {n} of ", 1), "utf-8")
                fig.add(f"{size}: one-edit rebuild", measure(*lessonpack("build", *target, "-q"))[0])
        shutil.rmtree(pack, ignore_errors=True)

    report(fig, sizes, have_pandoc, cpus)
    shutil.rmtree(work, ignore_errors=True)


def report(fig: Figures, sizes: list[int], have_pandoc: bool, cpus: int) -> None:
    print(f"\n### {time.strftime('%Y-%m-%d')}: medians of {fig.runs} runs, side by side in one session\n")
    print(machine())
    print("\n| figure | median (s) | min | max | peak memory, all processes (PSS, MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, times in fig.times.items():
        peak = f"{fig.peaks[name]:.0f}" if name in fig.peaks else ""
        print(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} | {peak} |")
    print("\n| target | measured | met |")
    print("| --- | --- | --- |")

    def row(text: str, value: float | None, limit: float, unit: str = "") -> None:
        if value is None:
            print(f"| {text} | not measured | — |")
        else:
            print(f"| {text} | {value:.2f}{unit} | {'met' if value <= limit else 'not met'} |")

    has = lambda name: name in fig.times  # noqa: E731
    if 1 in sizes:
        row("one lesson, four files ≤ 0.8× pandoc", fig.median("1: cold, default jobs") / fig.median(
            "1: pandoc, same files") if has("1: pandoc, same files") else None, 0.8, "×")
    big = max(sizes)
    row(f"cold build of {big} lessons, default jobs ≤ 0.3× pandoc",
        fig.median(f"{big}: cold, default jobs") / fig.median(f"{big}: pandoc, same files")
        if has(f"{big}: pandoc, same files") else None, 0.3, "×")
    row(f"cold build of {big} lessons, --jobs 1 ≤ 1.15× the floor",
        fig.median(f"{big}: cold, --jobs 1") / fig.median(f"{big}: floor (WeasyPrint + python-docx, warm)"), 1.15, "×")
    row(f"no-change rebuild of {big} lessons ≤ 1 s", fig.median(f"{big}: no-change rebuild"), 1.0, " s")
    if has("20: one-edit rebuild"):
        row("rebuild after editing one lesson of 20 ≤ 1.5 s", fig.median("20: one-edit rebuild"), 1.5, " s")
    row(f"peak memory of the {big}-lesson build, {cpus} workers ≤ 600 MiB",
        fig.peaks.get(f"{big}: cold, default jobs"), 600, " MiB")
    row("check of the sample unit ≤ 0.3 s (its lessons remembered)", fig.median("check of the sample unit"), 0.3, " s")
    row("check of the sample unit ≤ 0.3 s (nothing cached)", fig.median("check of the sample unit, nothing cached"),
        0.3, " s")
    row("--help ≤ 0.3 s", fig.median("--help"), 0.3, " s")
    # What WeasyPrint itself allows: the floor's work spread perfectly over every core, after start-up.
    start = fig.median("start-up: Python with lessonpack's renderers imported")
    print("\n| bound set by the floor (start-up + floor ÷ cores) | seconds | against pandoc |")
    print("| --- | ---: | ---: |")
    for size in sizes:
        floor = f"{size}: floor (WeasyPrint + python-docx, warm)"
        if has(floor):
            bound = start + fig.median(floor) / cpus
            ratio = (f"{bound / fig.median(f'{size}: pandoc, same files'):.2f}×"
                     if has(f"{size}: pandoc, same files") else "—")
            print(f"| {size} lesson{'s' if size > 1 else ''} | {bound:.2f} | {ratio} |")


def machine() -> str:
    import weasyprint

    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    harfbuzz = "unknown"
    try:
        import ctypes
        import ctypes.util

        library = ctypes.CDLL(ctypes.util.find_library("harfbuzz"))
        library.hb_version_string.restype = ctypes.c_char_p
        harfbuzz = library.hb_version_string().decode()
        subset = "with" if ctypes.util.find_library("harfbuzz-subset") else "without"
        harfbuzz += f" ({subset} libharfbuzz-subset)"
    except (OSError, AttributeError, TypeError):  # a version string only
        pass
    pandoc = (subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines() or ["—"])[0] \
        if shutil.which("pandoc") else "not installed (peer skipped)"
    return (f"Machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu}); Python {platform.python_version()}; "
            f"WeasyPrint {weasyprint.__version__}; HarfBuzz {harfbuzz}; {pandoc}.")


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


if __name__ == "__main__":
    main()
