"""Benchmark whole-unit builds of a generated 20-lesson pack; run with `make bench`.

Measures, as medians of repeated runs of the real command line (`python -m lessonpack build`):
the cold build with --jobs 1 and with the default number of jobs, the no-change rebuild, the
one-edit rebuild, and the peak memory (largest process) of each. Prints a Markdown table that
goes into benchmarks/RESULTS.md together with the machine's description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import edit_lesson, make_unit  # noqa: E402  (the same generator the tests use)

MEASURE = r"""
import os, subprocess, sys, time

def tree_rss_kib(root):
    # Sum of resident memory of a process and all its descendants (workers included), from /proc.
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/status") as f:
                    rss[int(entry)] = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total

start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_rss_kib(proc.pid))
    time.sleep(0.05)
seconds = time.perf_counter() - start
print(f"{proc.returncode} {seconds:.4f} {peak}")
"""


def run(unit: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB: resident memory of the build and its workers together)."""
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "lessonpack", "build", str(unit), "-q", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    code, seconds, peak = int(out[0]), float(out[1]), int(out[2])
    if code != 0:
        raise SystemExit(f"lessonpack build {' '.join(args)} failed with exit code {code}")
    return seconds, peak / 1024


def scenario(name: str, repeats: int, prepare, unit: Path, *args: str) -> dict:
    times, peaks = [], []
    for _ in range(repeats):
        prepare()
        seconds, peak = run(unit, *args)
        times.append(seconds)
        peaks.append(peak)
        print(f"  {name}: {seconds:.2f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
    return {"name": name, "median_s": statistics.median(times), "runs": times,
            "peak_mib": statistics.median(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lessonpack-bench-"))
    unit = make_unit(work / "unit", options.lessons)
    (unit / "lessonpack.yaml").write_text(
        (unit / "lessonpack.yaml").read_text().replace("formats: [pdf]", "formats: [pdf, docx]"))
    dist = unit / "dist"
    cpus = os.cpu_count() or 1
    edits = iter(range(10**6))

    def cold() -> None:
        shutil.rmtree(dist, ignore_errors=True)

    def nothing() -> None:
        pass

    def one_edit() -> None:
        edit_lesson(unit, 7, f"Edit number {next(edits)}.")

    print(f"lessonpack benchmark: {options.lessons} lessons, {options.repeats} runs each, {cpus} CPUs",
          file=sys.stderr)
    results = [
        scenario("cold build, --jobs 1", options.repeats, cold, unit, "--jobs", "1"),
        scenario(f"cold build, default jobs ({cpus})", options.repeats, cold, unit),
        scenario("no-change rebuild", options.repeats, nothing, unit),
        scenario("one-edit rebuild", options.repeats, one_edit, unit),
    ]
    outputs = len([p for p in dist.rglob("*") if p.is_file() and not p.name.startswith(".")])
    speedup = results[0]["median_s"] / results[1]["median_s"]

    print(f"\n{options.lessons}-lesson unit, formats pdf + docx, both editions: {outputs} files "
          f"({options.lessons * 4} per-lesson + 2 unit PDFs). Medians of {options.repeats} runs, measured "
          f"side by side in one session on {time.strftime('%Y-%m-%d')}.\n")
    print("| scenario | median (s) | runs (s) | peak memory, all processes (MiB) |")
    print("| --- | ---: | --- | ---: |")
    for r in results:
        runs = ", ".join(f"{t:.2f}" for t in r["runs"])
        print(f"| {r['name']} | {r['median_s']:.2f} | {runs} | {r['peak_mib']:.0f} |")
    print(f"\nSpeed-up of default jobs over --jobs 1: **{speedup:.2f}×** "
          f"(no-change rebuild is {results[0]['median_s'] / results[2]['median_s']:.0f}× faster than a cold build).")
    print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, {cpus} CPUs "
          f"({_cpu_model()}), {_memory()}.")
    if options.json:
        options.json.write_text(json.dumps({"speedup": speedup, "results": results}, indent=1))
    shutil.rmtree(work, ignore_errors=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return "unknown RAM"


if __name__ == "__main__":
    main()
