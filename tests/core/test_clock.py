"""The service's one clock, and the shift a demo or a benchmark gives it (DOSSIER_CLOCK_SHIFT_S)."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta


def _service_now(shift: str) -> datetime:
    out = subprocess.run([sys.executable, "-c", "from service.core.clock import utcnow; print(utcnow().isoformat())"],
                         env={**os.environ, "DOSSIER_CLOCK_SHIFT_S": shift}, capture_output=True, text=True,
                         check=True)
    return datetime.fromisoformat(out.stdout.strip())


def test_the_shift_moves_the_service_clock_and_none_leaves_it_alone():
    before = datetime.now(UTC)
    unshifted, shifted = _service_now(""), _service_now(str(-11 * 3600))
    after = datetime.now(UTC)
    assert before <= unshifted <= after
    assert before - timedelta(hours=11) <= shifted <= after - timedelta(hours=11)
    assert shifted.tzinfo is not None
