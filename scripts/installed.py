"""Whether this interpreter has every requirement of the files given (and of the files they name with -r) installed
at its pinned version: exit status 0 if so, 1 if pip has something to do.

scripts/test.sh asks this before it runs pip: pip takes 1.5-3 s of both cores to find that nothing is to be done,
on every run; this takes 0.1 s. A requirement not pinned with == (or a file it cannot read) answers 1: pip decides.
"""

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement


def requirements(path: Path):
    """Each requirement of a requirements file, those of the files it names with -r included."""
    for line in path.read_text().splitlines():
        line = line.split(" #")[0].strip()  # a comment after a requirement starts with " #"
        if line.startswith("-r "):
            yield from requirements(path.parent / line[3:].strip())
        elif line and not line.startswith("#"):
            yield Requirement(line)


def installed(files: list[str]) -> bool:
    try:
        needed = [r for file in files for r in requirements(Path(file)) if not r.marker or r.marker.evaluate()]
    except (OSError, InvalidRequirement):
        return False
    for requirement in needed:
        if [spec.operator for spec in requirement.specifier] != ["=="]:
            return False
        try:
            if not requirement.specifier.contains(version(requirement.name), prereleases=True):
                return False
        except PackageNotFoundError:
            return False
    return True


if __name__ == "__main__":
    sys.exit(0 if installed(sys.argv[1:]) else 1)
