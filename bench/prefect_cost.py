"""Prefect's own costs, measured on work that does nothing (run by `python -m bench`).

    python -m bench.prefect_cost [TASKS]

Starts Prefect's temporary server the way the CLI does (`flows.prefect_server`), then times:
importing Prefect, the server becoming ready, a flow run with no tasks, and a flow run that
submits TASKS no-op task runs to a one-thread runner (the cost of one task run is the
difference, divided by TASKS). Prints one line of JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(tasks: int) -> dict:
    from flows import prefect_env
    from flows.prefect_server import TemporaryServer

    prefect_env.configure()
    first_run = prefect_env.is_first_run()
    t0 = time.perf_counter()
    server = TemporaryServer()
    server.launch()
    os.environ["PREFECT_API_URL"] = server.api_url
    t1 = time.perf_counter()
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE
    from prefect.task_runners import ThreadPoolTaskRunner

    prefect_env.quiet_loggers()
    t2 = time.perf_counter()
    server.wait_ready()
    t3 = time.perf_counter()

    @task(cache_policy=NO_CACHE)
    def nothing(i: int) -> int:
        return i

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=1))
    def empty() -> int:
        return 0

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=1))
    def many(n: int) -> int:
        return sum(f.result() for f in [nothing.submit(i) for i in range(n)])

    with prefect_env.run_settings():
        a = time.perf_counter()
        empty()
        b = time.perf_counter()
        empty()
        c = time.perf_counter()
        many(tasks)
        d = time.perf_counter()
    server.stop()
    return {"first_run": first_run, "import_prefect_seconds": t2 - t1, "server_ready_seconds": t3 - t0,
            "first_flow_run_seconds": b - a, "flow_run_seconds": c - b,
            "task_run_seconds": ((d - c) - (c - b)) / tasks, "tasks": tasks}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)))
