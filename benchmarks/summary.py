"""Several full runs side by side: ``python -m benchmarks.summary RUN.json [RUN.json ...]``.

Issue 16 asks for every target to hold in *every* full run, not in the best one, so BENCHMARKS.md records
consecutive runs together. Each argument is a ``results.json`` written by ``python -m benchmarks.run --full
--output RUN.json`` (its ``RUN-meta.json`` beside it says when and on what). Prints a Markdown table — one
row per figure, one column per run, a figure in bold where that run missed its target, and whether the target
held in every run — then one line per run and the spread of each timed figure's rounds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def load_run(path: Path) -> tuple[dict[str, Record], Record]:
    """The figures of one run by name, and its meta record (empty when the meta file is missing)."""
    figures = {record["name"]: record for record in json.loads(path.read_text(encoding="utf-8"))}
    meta_path = path.with_name(path.stem + "-meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return figures, meta


def cell(record: Record | None) -> str:
    """One run's value of one figure: bold with "(no)" when that run missed the target."""
    if record is None or record.get("value") is None:
        return "n/a"
    value = record["value"]
    text = str(int(value)) if float(value).is_integer() else f"{value:.3g}"
    return f"**{text}** (no)" if record.get("met") is False else text


def held(records: list[Record | None]) -> str:
    """Whether the target held in every run ("-" for a figure without one)."""
    verdicts = [record.get("met") if record else False for record in records]
    if all(verdict is None for verdict in verdicts):
        return "-"
    return "yes" if all(verdict is True for verdict in verdicts) else "**no**"


def table(runs: list[dict[str, Record]]) -> list[str]:
    """The Markdown table: figures in the order of the first run, then any only later runs have."""
    names = list(dict.fromkeys(name for run in runs for name in run))
    header = ["figure", "target", *(f"run {index}" for index in range(1, len(runs) + 1)), "met in every run"]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for name in names:
        records = [run.get(name) for run in runs]
        target = next((record["target"] for record in records if record and record.get("target")), "-")
        row = [f"`{name}`", target, *(cell(record) for record in records), held(records)]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def run_lines(metas: list[Record]) -> list[str]:
    """When each run finished, how long it took and on what."""
    lines = []
    for index, meta in enumerate(metas, 1):
        host = meta.get("machine", {})
        lines.append(
            f"- run {index}: finished {meta.get('finished', '?')}, {meta.get('duration_s', '?')} s, "
            f"{host.get('cpus', '?')} CPUs {host.get('cpu_model', '?')}, Python {host.get('python', '?')}"
        )
    return lines


def spread_lines(runs: list[dict[str, Record]]) -> list[str]:
    """The rounds' spread of every figure whose detail reports one, run by run."""
    lines = []
    for name in dict.fromkeys(name for run in runs for name in run):
        for index, run in enumerate(runs, 1):
            detail = run.get(name, {}).get("detail") or ""
            if "spread" in detail and run[name].get("target"):
                lines.append(f"- {name} run {index}: {detail}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.summary", description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="results.json files of full runs, in order")
    args = parser.parse_args(argv)
    loaded = [load_run(path) for path in args.runs]
    runs = [figures for figures, _ in loaded]
    print("\n".join([*table(runs), "", *run_lines([meta for _, meta in loaded]), "", *spread_lines(runs)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
