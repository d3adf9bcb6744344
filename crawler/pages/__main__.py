"""Print what ``extract`` makes of a saved page, as JSON (the fixture "rerun" helper).

Usage: ``python -m crawler.pages FILE [--url URL] [--content-type TYPE]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import datetime
from pathlib import Path

from . import extract


def to_jsonable(value: object) -> object:
    """Dataclasses to dicts, datetimes to ISO 8601, plus the item's type name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"type": type(value).__name__}
        data.update({f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return data
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.pages", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="saved HTML page")
    parser.add_argument("--url", help="the page's URL (default: file:// URL of FILE)")
    parser.add_argument("--content-type",
                        help="Content-Type header to pretend, e.g. 'text/html; charset=utf-8'")
    args = parser.parse_args(argv)
    url = args.url or args.file.resolve().as_uri()
    headers = {"Content-Type": args.content_type} if args.content_type else None
    item = extract(url, args.file.read_bytes(), headers)
    json.dump(to_jsonable(item), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
