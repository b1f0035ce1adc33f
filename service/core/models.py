"""Import every model so metadata is complete (Alembic and tests use this)."""

from service.access import models as access_models
from service.cases import models as case_models
from service.core import audit
from service.demo import models as demo_models
from service.documents import models as document_models
from service.jobs import models as job_models
from service.packets import models as packet_models

__all__ = ["access_models", "audit", "case_models", "demo_models", "document_models", "job_models", "packet_models"]
