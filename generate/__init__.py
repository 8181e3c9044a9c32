"""generate: pure functions from source/ to the site's pages, files and metadata; no MkDocs import.

``data`` reads and checks the two editorial files, ``additions`` derives the
page description, ``provenance`` writes the provenance page, ``linked_data``
the JSON-LD.
"""
