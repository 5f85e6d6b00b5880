"""The importer's one error: a problem in a source file, reported as `PATH:LINE: message`."""


class PostError(Exception):
    """A file that cannot be imported; nothing of it is written."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message

    def __reduce__(self):  # keeps the fields across the parsing worker processes
        return (type(self), (self.path, self.line, self.message))
