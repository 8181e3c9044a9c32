"""What more than one hook needs, kept in one place. Not a hook itself.

MkDocs puts a hook's folder on ``sys.path`` while it loads the hook, so the
hooks import this module by name (``from shared import ...``).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the project's paths are relative to."""
    return Path(config.config_file_path).resolve().parent
