"""The Celery side: the same job runner behind a task, for several machines sharing the work."""

from functools import lru_cache

from celery import Celery, signals

from service.core.settings import Settings, get_settings


def celery_for(settings: Settings) -> Celery:
    return _celery(settings.broker_url, settings.celery_queue)


@lru_cache
def _celery(broker_url: str, queue: str) -> Celery:
    app = Celery("dossier", broker=broker_url)
    app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                    task_default_queue=queue, broker_connection_retry_on_startup=True)

    @app.task(name="dossier.run_job")  # type: ignore[untyped-decorator]  # celery ships no type hints
    def run(job_id: str) -> str:
        from service.jobs.runner import run_job

        return run_job(get_settings(), job_id)  # the worker's own settings (its environment)

    @app.task(name="dossier.deliver_webhooks")  # type: ignore[untyped-decorator]
    def deliver_webhooks() -> int:
        import importlib

        # By name: webhooks sits above jobs (it announces job completions through core.events).
        return int(importlib.import_module("service.webhooks.delivery").deliver_due(get_settings()))

    @signals.worker_process_init.connect(weak=False)  # type: ignore[untyped-decorator]
    def warm(**_: object) -> None:
        # Each prefork child renders in its own process: warm it before its first job, as a
        # local render pool's processes warm when they start.
        import importlib

        importlib.import_module("service.documents.bulk").warm_in_process()

    return app


def worker_app() -> Celery:
    return celery_for(get_settings())
