"""`make bench` (`python -m bench`): the notice benchmarks, the packet benchmark, then the batch
job end to end.

    .venv/bin/python -m bench [--quick]
"""

import importlib
import sys


def main() -> int:
    from bench import notices

    status = notices.main(sys.argv[1:])
    try:
        packet = importlib.import_module("bench.bench_packet")
    except ModuleNotFoundError as exc:
        if exc.name != "bench.bench_packet":
            raise
        return status
    status = max(status, packet.main([]) or 0)
    from bench import bench_batch

    return max(status, bench_batch.main([]))


if __name__ == "__main__":
    sys.exit(main())
