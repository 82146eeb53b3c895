from pathlib import Path

# The project's folder, for tests that run its commands or read its files.
ROOT = Path(__file__).resolve().parent.parent
