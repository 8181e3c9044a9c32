"""Material's search box, handed over to the site's own search (docs/assets/javascripts/search.js).

Material's bundle starts its search worker and fetches its index for a
dialog marked ``data-md-component="search"`` holding a form named
``search``. Renaming both leaves Material's box (button, dialog, field,
result list) on the page with no engine behind it; report.js loads
search.js when a reader opens search. The worker's address and the labels
of Material's results leave ``__config`` too: nothing shows them. The
dialog (role=dialog, which Material leaves unnamed: axe's
aria-dialog-name) is named with its search field's label.
"""

from __future__ import annotations

import json
import re

from finish.material import CONFIG_SCRIPT_START, MaterialChanged
from generate.linked_data import script_json

_DIALOG = 'data-md-component="search" role="dialog"'
_FORM = '<form class="md-search__form" name="search">'
_FIELD_LABEL = re.compile(r'<input type="text" class="md-search__input"[^>]*\baria-label="(?P<label>[^"]+)"')
_CONFIG = re.compile(rf"{re.escape(CONFIG_SCRIPT_START)}(?P<json>.*?)</script>", re.DOTALL)


def hand_over_search_box(html: str) -> str:
    """``html`` with Material's search box detached from Material's engine, its dialog named."""
    if _DIALOG not in html and _FORM not in html:
        return html  # a page without search
    if html.count(_DIALOG) != 1 or html.count(_FORM) != 1:
        raise MaterialChanged("search box", "not exactly one search dialog and one search form")
    label = _FIELD_LABEL.search(html)
    if label is None:
        raise MaterialChanged("search box", "no labelled search field")
    named = f'data-report-search role="dialog" aria-label="{label["label"]}"'
    html = html.replace(_DIALOG, named).replace(_FORM, '<form class="md-search__form">')
    config = _CONFIG.search(html)
    if config is None:
        raise MaterialChanged("config script", "no __config script")
    settings = json.loads(config["json"])
    settings.pop("search", None)
    translations = settings.get("translations") or {}
    settings["translations"] = {key: text for key, text in translations.items() if not key.startswith("search.")}
    return f"{html[: config.start('json')]}{script_json(settings)}{html[config.end('json') :]}"
