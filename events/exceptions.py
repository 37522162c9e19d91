"""Domain errors of the catalogue, each with a stable machine-readable code."""


class CatalogueError(Exception):
    code = "catalogue_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRecurrence(CatalogueError):
    code = "invalid_recurrence_rule"
