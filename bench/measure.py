"""Run a command; report its wall time, and the CPU time and peak RSS of it and its descendants.

    python -m bench.measure -- COMMAND [ARGS...]

The command's output passes through; the last line on stderr is JSON: `wall_seconds`,
`cpu_seconds` (user + system of every process the command started and waited for, Prefect's
server and cleaning workers included), `user_seconds`, `system_seconds`, `peak_rss_mb` (the
largest resident set among them: a peak of one process, not a sum), `returncode`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    start = time.perf_counter()
    returncode = subprocess.call(command)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall_seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime,
                      "peak_rss_mb": usage.ru_maxrss / 1024, "returncode": returncode}), file=sys.stderr)
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
