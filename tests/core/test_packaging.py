"""The icons, style sheet and tokenizer ship in the installed package, not only in the repo."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_resource_file_is_in_a_listed_package_and_its_package_data():
    # pip warns "Package would be ignored" for a folder of data that is not in
    # `packages`; a file no package-data glob matches is left out of the wheel.
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    packages, package_dir = setuptools["packages"], setuptools.get("package-dir", {})
    folder_of = {package: ROOT / folder for package, folder in package_dir.items()}
    resources = folder_of["reader.resources"]
    missing = []
    for path in sorted(resources.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".py":
            continue
        package = ".".join(("reader.resources", *path.parent.relative_to(resources).parts))
        globs = setuptools.get("package-data", {}).get(package, [])
        if package not in packages or not any(fnmatch.fnmatch(path.name, glob) for glob in globs):
            missing.append(f"{path.relative_to(ROOT)} (package {package})")
    assert not missing, missing


def test_an_icon_and_the_tokenizer_are_found_through_the_package():
    assert (
        (files("reader.resources") / "icons" / "app.svg")
        .read_text(encoding="utf-8")
        .lstrip()
        .startswith("<")
    )
    assert (files("reader.resources") / "models" / "minilm-tokenizer.json").is_file()
    assert (files("reader.resources") / "style.qss").is_file()
