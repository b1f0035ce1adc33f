"""`make bench` (`python -m bench`): the notice benchmarks, then the packet benchmark if present.

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
    return max(status, packet.main([]) or 0)


if __name__ == "__main__":
    sys.exit(main())
