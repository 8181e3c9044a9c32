"""The one error type of the finishing stage; the hook turns it into MkDocs' PluginError."""


class FinishError(ValueError):
    """A built page or the site's configuration cannot be finished; the message says which and why."""
