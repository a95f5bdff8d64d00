"""A reader that closes the pipe early (``| head``) ends the CLI quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
RUN_CLI = "import sys; from reader.cli import main; sys.exit(main())"


def test_align_into_a_closed_pipe_exits_quietly_with_the_sigpipe_status():
    seeds = sorted(SEEDS.glob("*.txt"))
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "align", str(seeds[3]), str(seeds[4]), "--kind", "copied"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=SEEDS.parent,
    )
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = process.stderr.read().decode()
    status = process.wait(timeout=120)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert status == 141  # 128 + SIGPIPE: what a shell reports for `cat` cut off by `head`
