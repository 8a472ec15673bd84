"""Run a command; report its wall time, and the CPU time and peak RSS of it and its descendants.

    python -m bench.measure -- COMMAND [ARGS...]

The command's output passes through; the last line on stderr is JSON: `wall_seconds`,
`cpu_seconds` (user + system of every process the command started and waited for, Prefect's
server and cleaning workers included), `user_seconds`, `system_seconds`, `peak_rss_mb` (the
largest resident set among them: a peak of one process, not a sum), `returncode`, and
`kept_server_cpu_seconds`: the CPU time Prefect's local server kept between runs
(`flows.prefect_server.KeptServer`) spent during the command, counted in `cpu_seconds` too.
Nobody waits for that server (it outlives the run), so the kernel's children totals miss it;
its own counters, read from /proc before and after, do not.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def kept_server_cpu() -> dict[int, float]:
    """CPU seconds so far of the kept server named in $PREFECT_HOME's state file, by pid."""
    from flows.prefect_server import KeptServer

    home = os.environ.get("PREFECT_HOME")
    try:
        pid = json.loads((Path(home) / KeptServer.STATE_FILE).read_text())["pid"] if home else None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() if pid else None
    except (OSError, ValueError, KeyError):
        return {}
    return {pid: (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")} if fields else {}


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    server_before = kept_server_cpu()
    start = time.perf_counter()
    returncode = subprocess.call(command)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in kept_server_cpu().items())
    print(json.dumps({"wall_seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime + server,
                      "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime,
                      "kept_server_cpu_seconds": server,
                      "peak_rss_mb": usage.ru_maxrss / 1024, "returncode": returncode}), file=sys.stderr)
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
