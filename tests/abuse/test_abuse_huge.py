"""Issue 18 item 7: huge pages keep memory bounded and diagnostics short.

Each attack runs in a real process under a small wrapper that reports the peak resident memory of
its only child (``RUSAGE_CHILDREN``), so nothing else in the test run is counted. No time is
asserted (speed is measured in benchmarks/; see the note of issue 18 for the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MB = 1024 * 1024
WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kilobytes on Linux
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "peak": peak}))
"""


def _measure(site: Path, *args: str) -> tuple[int, str, int]:
    command = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "asa2render", *args]
    done = subprocess.run(command, cwd=site, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return result["code"], result["stderr"], result["peak"]


def test_20_mb_of_unterminated_openers(site: Path) -> None:
    page = site / "content" / "page.md"
    page.write_text("[asa2 " * (20 * MB // 6), encoding="utf-8")
    code, stderr, peak = _measure(site, "render", "content/page.md", "-o", "out.md", "--offline")
    assert code == 0, stderr[-2000:]
    lines = stderr.splitlines()
    assert len(lines) <= 1000
    assert lines[0] == (
        "content/page.md:1:1: shortcode [asa2 has no closing ] before the next [ or the end; "
        "it is left as text: add the ]"
    )
    hidden = 20 * MB // 6 - 100
    assert f"content/page.md: {hidden} more problem(s) not listed ({hidden} error(s))" in stderr
    assert (site / "out.md").read_bytes() == page.read_bytes()  # left as text, byte for byte
    assert peak <= 400 * MB, f"peak {peak / MB:.0f} MB"


def test_6_mb_of_valid_shortcodes_render_in_pieces(site: Path) -> None:
    line = "[asa2]B0LOCAL001[/asa2] and [asa2]B0MISSING1[/asa2]\n"
    count = 6 * MB // len(line)
    (site / "content" / "page.md").write_text(line * count, encoding="utf-8")
    code, stderr, peak = _measure(site, "render", "content/page.md", "-o", "out.md", "--offline")
    assert code == 0, stderr[-2000:]
    assert len(stderr.splitlines()) <= 1000
    assert f"content/page.md: {count - 100} more problem(s) not listed ({count - 100} error(s))" in stderr
    out = (site / "out.md").read_text(encoding="utf-8")
    assert out.count('data-asa2-state="fresh"') == count and out.count('data-asa2-state="fallback"') == count
    assert "[asa2]" not in out
    # Whole-page processing needed ~55 bytes per input byte here (330 MB); pieces keep it flat.
    assert peak <= 200 * MB, f"peak {peak / MB:.0f} MB"
