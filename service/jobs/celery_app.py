"""The Celery side: the same job runner behind a task, for several machines sharing the work."""

from functools import lru_cache

from celery import Celery

from service.core.settings import Settings, get_settings


@lru_cache
def celery_for(settings: Settings) -> Celery:
    app = Celery("dossier", broker=settings.broker_url)
    app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                    task_default_queue="dossier", broker_connection_retry_on_startup=True)

    @app.task(name="dossier.run_job")
    def run(job_id: str) -> str:
        from service.jobs.runner import run_job

        return run_job(settings, job_id)

    return app


def worker_app() -> Celery:
    return celery_for(get_settings())
