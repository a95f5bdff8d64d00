"""Two Source Readers saving one annotation file at the same time lose nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

SAVER = Path(__file__).with_name("concurrent_saver.py")
TAGS_EACH = 60


def saved_ids(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_bytes())
    return {tag["id"] for article in data["articles"] for tag in article["tags"]}


def test_two_processes_saving_after_every_tag_keep_all_tags(folder):
    savers = [
        subprocess.Popen(
            [sys.executable, str(SAVER), str(folder), str(part), str(TAGS_EACH)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in (0, 1)
    ]
    try:
        for saver in savers:  # both have opened the (missing) file before either saves
            assert saver.stdout.readline().strip() == "ready", saver.stderr.read()
        for saver in savers:
            saver.stdin.write("go\n")
            saver.stdin.flush()
        results = []
        for saver in savers:
            out, err = saver.communicate(timeout=300)
            assert saver.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for saver in savers:
            if saver.poll() is None:
                saver.kill()
    added = {tag_id for result in results for tag_id in result["added"]}
    assert len(added) == 2 * TAGS_EACH
    missing = added - saved_ids(folder / "annotations.yaml")
    assert not missing, f"{len(missing)} of {len(added)} tags missing from the saved file"
    assert [result["conflicts"] for result in results] == [0, 0]
