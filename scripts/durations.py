"""Write tests/durations.json from a pytest run's JUnit report: the seconds each test file took (its tests' setup,
call and teardown), which tests/conftest.py uses to start the longest files first.

    .venv/bin/python -m pytest -n 2 --dist loadfile --junitxml=/tmp/run.xml
    .venv/bin/python scripts/durations.py /tmp/run.xml
"""

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "durations.json"


def main(report: str) -> None:
    seconds = Counter()
    for case in ET.parse(report).iter("testcase"):
        seconds[case.get("classname").split(".")[1] + ".py"] += float(case.get("time"))  # tests.<file>[.<class>]
    ordered = {name: round(s, 1) for name, s in seconds.most_common()}
    OUT.write_text(json.dumps(ordered, indent=1) + "\n")
    print(f"{OUT}: {len(ordered)} files, {sum(ordered.values()):.0f} s in all")


if __name__ == "__main__":
    main(sys.argv[1])
