"""Webhooks: endpoints clients register, events delivered to them signed per Standard Webhooks,
retried with backoff, every attempt recorded, listable and replayable.

Importing the package installs its publisher behind core's event port (``service.core.events``),
through which jobs and cases announce events without importing this package.
"""

from service.core import events as _events
from service.webhooks import service as _service

_events.install(_service.publish)
