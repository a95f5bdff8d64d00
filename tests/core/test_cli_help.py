"""``source-reader --help`` names every command with its one line; each command has --help."""

from __future__ import annotations

import sys
import types

import pytest

from reader import cli

ONE_LINERS = {
    "align": "print the passages two articles share",
    "corpus": "map which articles of a folder share passages",
    "export": "write the tagged notes of an annotation file",
}


def _help(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_lists_every_command_with_its_one_line(capsys):
    out = _help(capsys, ["--help"])
    for command, line in ONE_LINERS.items():
        assert any(row.split()[:1] == [command] and line in row for row in out.splitlines()), (
            command,
            out,
        )
    assert "COMMAND --help" in out


@pytest.mark.parametrize("command", sorted(ONE_LINERS))
def test_each_command_has_its_own_help(capsys, command):
    out = _help(capsys, [command, "--help"])
    assert out.startswith(f"usage: source-reader {command}")
    assert ONE_LINERS[command] in out


def test_no_command_still_opens_the_window(monkeypatch):
    opened = []
    fake_app = types.SimpleNamespace(run_gui=lambda paths: opened.append(paths) or 0)
    monkeypatch.setitem(sys.modules, "reader.ui.app", fake_app)
    import reader.ui

    monkeypatch.setattr(reader.ui, "app", fake_app, raising=False)
    assert cli.main([]) == 0
    assert cli.main(["seeds"]) == 0
    assert opened == [[], ["seeds"]]
