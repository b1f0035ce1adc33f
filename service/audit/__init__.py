"""The hash-chained audit trail: its tables, the chain (append, verify), its API and verify job.

Importing the package installs its writer behind core's recording port (``service.core.trail``),
through which cases, documents and packets record their acts without importing this package.
"""

from service.audit import service as _service
from service.core import trail as _trail

_trail.install(_service.record)
