"""Benchmarks (`make bench`): notices (notices.py) and packets (bench_packet.py)."""
