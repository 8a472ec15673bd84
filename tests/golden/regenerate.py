"""Rewrite the golden files from the current cleaners: `python -m tests.golden.regenerate`.

Only after reading the diff line by line against the raw sample: a golden file is a reviewed
statement of what the clean archive rows of that sample must be.
"""

from __future__ import annotations

import json
from pathlib import Path

from cleaners.pipeline import clean_file

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"


def golden_rows(raw: bytes, name: str) -> dict:
    result = clean_file(raw, name)
    return {
        "source_path": name,
        "encoding": result.encoding,
        "error": result.error,
        "documents": [
            {
                "part_index": d.part_index,
                "title": d.title,
                "source_url": d.source_url,
                "site": d.site,
                "published_at": d.published_at.isoformat() if d.published_at else None,
                "is_truncated": d.is_truncated,
                "char_count": d.char_count,
                "split_note": d.split_note,
                "text": d.text.split("\n"),
            }
            for d in result.documents
        ],
    }


def main() -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        rows = golden_rows(seed.read_bytes(), seed.name)
        target = HERE / "seeds" / f"{seed.stem}.json"
        target.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
