"""Pure cleaning steps: bytes or text in, text out, plus a record of what was removed and why.

Nothing here touches files, databases or Prefect; `flows/` orchestrates these functions and
`warehouse/` stores what they return.
"""
