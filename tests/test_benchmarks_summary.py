"""benchmarks.summary: several full runs side by side, a miss in any run shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.summary import main


def _write_run(path: Path, overhead: float, finished: str) -> Path:
    figures = [
        {
            "name": "warm_render_overhead",
            "value": overhead,
            "target": "<= 1.1",
            "met": overhead <= 1.1,
            "detail": "median of 9 interleaved rounds, spread 1.01-1.09",
        },
        {"name": "startup_version_vs_python", "value": 4.2, "target": "", "met": None, "detail": ""},
    ]
    path.write_text(json.dumps(figures), encoding="utf-8")
    meta = {
        "finished": finished,
        "duration_s": 500.0,
        "machine": {"cpus": 2, "cpu_model": "EPYC", "python": "3.11"},
    }
    path.with_name(path.stem + "-meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_a_figure_missed_in_one_run_is_not_met_in_every_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write_run(tmp_path / "one.json", 1.05, "12:00")
    second = _write_run(tmp_path / "two.json", 1.12, "12:10")

    assert main([str(first), str(second)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert "| `warm_render_overhead` | <= 1.1 | 1.05 | **1.12** (no) | **no** |" in lines
    assert "| `startup_version_vs_python` | - | 4.2 | 4.2 | - |" in lines
    assert "- run 2: finished 12:10, 500.0 s, 2 CPUs EPYC, Python 3.11" in lines
    assert "- warm_render_overhead run 1: median of 9 interleaved rounds, spread 1.01-1.09" in lines


def test_a_figure_met_in_every_run_says_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = [str(_write_run(tmp_path / f"{index}.json", 1.02, "12:00")) for index in range(3)]

    main(runs)

    assert "| `warm_render_overhead` | <= 1.1 | 1.02 | 1.02 | 1.02 | yes |" in capsys.readouterr().out
