"""The page's vendored libraries (demo/page/vendor/) are what package-lock.json's pinned packages build to.

scripts/vendor.sh bundles npm's fast-png and gifenc with the pinned esbuild; the committed files must be exactly a
fresh build, so no hand edit hides in them. Without node_modules (no `npm ci`), only that check is skipped, saying so.
"""

import filecmp
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "demo" / "page" / "vendor"


def test_vendored_files_are_a_fresh_build_of_the_pinned_packages(tmp_path):
    if not (ROOT / "node_modules" / ".bin" / "esbuild").exists() or shutil.which("node") is None:
        pytest.skip("node_modules missing (npm ci): the vendored files cannot be rebuilt here")
    subprocess.run(["bash", "scripts/vendor.sh", str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in VENDOR.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(tmp_path, VENDOR, built, shallow=False)
    assert mismatch == errors == [], f"differ from a fresh build: {mismatch + errors}"


def test_each_vendored_file_names_the_pinned_version():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for file, package in (("png.js", "fast-png"), ("gif.js", "gifenc")):
        version = lock[f"node_modules/{package}"]["version"]
        assert (VENDOR / file).read_text().startswith(f"// Vendored from npm {package}@{version} ")
        assert package in (VENDOR / "LICENSES.txt").read_text()
