"""Who reads a document, which decides what of the case it may show (CN-04, CN-12, US-13).

The vocabulary lives with the one masking function (``service.cases.masking``), which the case
API and the CLI use too."""

from service.cases.masking import Audience

__all__ = ["Audience"]
