"""The process-table read that app watches are measured against: psutil's
process_iter(['cpu_percent', 'memory_info']) over every process, in microseconds per process.

Usage: python3 process_scan.py [rounds]   (run by `make bench` in target/bench-venv)
"""
import sys
import time

import psutil


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    # The first pass primes psutil's CPU counters and its process cache, as a loop would.
    list(psutil.process_iter(["cpu_percent", "memory_info"]))
    seen = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for proc in psutil.process_iter(["cpu_percent", "memory_info"]):
            _ = proc.info
            seen += 1
    elapsed = time.perf_counter() - start
    per = elapsed / max(seen, 1) * 1e6
    print(f"process_scan: psutil {per:.1f} us per process ({seen // rounds} processes, {rounds} rounds)")


if __name__ == "__main__":
    main()
