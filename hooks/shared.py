"""What more than one hook needs, kept in one place. Not a hook itself.

MkDocs puts a hook's folder on ``sys.path`` while it loads the hook, so the
hooks import this module by name (``from shared import ...``).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

# The source fonts, each family in its own folder with its licence.
FONTS_DIR = Path("fonts")
# Noto Naskh Arabic's Arabic subset, variable in weight (in FONTS_DIR): the
# link-preview cards' font (hooks/social.py). The pages' Arabic is the static
# 2.004 Regular, which WebKit draws correctly (FACES in hooks/fonts.py).
NASKH_ARABIC = "noto-naskh-arabic/noto-naskh-arabic-arabic-wght-normal.woff2"


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the project's paths are relative to."""
    return Path(config.config_file_path).resolve().parent
