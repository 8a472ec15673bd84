"""`python -m bench`: the whole flow measured, beside the tools users would otherwise pick (see bench/run.py)."""

from bench.run import main

main()
