"""Every model of the service, imported so the metadata is complete: Alembic's target and what a
worker process maps. Importing it also installs the audit trail's writer (``service.audit``)."""

from service.access import models as access_models
from service.audit import models as audit_models
from service.cases import models as case_models
from service.core import idempotency as idempotency_models
from service.demo import models as demo_models
from service.documents import models as document_models
from service.jobs import models as job_models
from service.packets import models as packet_models
from service.webhooks import models as webhook_models

__all__ = ["access_models", "audit_models", "case_models", "demo_models", "document_models", "idempotency_models",
           "job_models", "packet_models", "webhook_models"]
