"""Errors of the documents domain (subclasses of the one error tree in service.core.errors)."""

from collections.abc import Sequence

from service.core.errors import InvalidInput, NotFound, ServiceError


class DocumentNotFound(NotFound):
    def __init__(self, document_id: str) -> None:
        super().__init__(f"document {document_id!r} does not exist")


class RenderFailed(ServiceError):
    """The template or its data could not be turned into a file: a defect, not bad input."""

    status_code = 500
    title = "Document could not be rendered"
    type_slug = "render-failed"


class MissingGlyphs(RenderFailed):
    def __init__(self, chars: Sequence[str]) -> None:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars)
        super().__init__(f"no installed font has a glyph for {listed}; the document was not produced")
        self.chars = list(chars)


class SmsTooLong(InvalidInput):
    """The SMS text does not fit the one-segment budget."""


class UnknownLabel(RenderFailed):
    """A stored code the templates have no word for (a new payment channel, a new outcome…): the
    document is refused rather than printing the raw code. Add the word to the label macros."""

    def __init__(self, what: str, code: str) -> None:
        super().__init__(f"no label for the {what} code {code!r}: add it to the templates' label macros "
                         "(templates/legal/_partials/labels.<locale>.html)")
        self.what, self.code = what, code
