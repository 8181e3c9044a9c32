"""generate: pure functions from source/ to the site's pages, files and metadata; no MkDocs import."""
