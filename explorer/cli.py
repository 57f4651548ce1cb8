"""Command line: `explorer build-db`, `explorer catalog check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import catalog, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="explorer", description="Explorateur IGAS 2019-033R")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("catalog", help="validate data/catalog.csv and data/report/*.csv")
    check.add_argument("action", choices=["check"])
    check.add_argument("--catalog", type=Path, default=settings.CATALOG_PATH)
    check.add_argument("--partial", action="store_true",
                       help="do not require every CSV of data/report to be catalogued")

    build = sub.add_parser("build-db", help="build data/explorer.duckdb from data/ and geo/")
    build.add_argument("--output", type=Path, default=settings.DB_PATH)

    args = parser.parse_args(argv)
    if args.command == "catalog":
        problems = catalog.check(args.catalog, require_all_files=not args.partial)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.command == "build-db":
        from explorer import database

        seconds = database.build(args.output)
        print(f"built {args.output} in {seconds:.2f} s")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
