"""The Nu HTML checker (vnu.jar, installed by `make test`), run on pages at once."""

import json
import subprocess
from pathlib import Path

from tests import ROOT

VNU = ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"


def assert_valid_html(pages, folder):
    """Every page (name → bytes) validates: no error, and the checker agrees."""
    assert VNU.exists(), "run `make test`, which installs the Nu checker"
    files = []
    for name, content in pages.items():
        path = Path(folder) / f"{name}.html"
        path.write_bytes(content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr)["messages"]
    errors = [(Path(m["url"]).name, m.get("message"), m.get("extract", "")[:80]) for m in messages]
    assert errors == [], "\n".join(map(str, errors))
    assert result.returncode == 0, result.stderr[-2000:]
