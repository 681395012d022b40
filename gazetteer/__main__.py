"""Command line of the gazetteer: ``python -m gazetteer build [--quiet] [--geonames ZIP ...]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gazetteer.errors import GazetteerError
from gazetteer.indexer import BuildInputs, build_index


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m gazetteer``."""
    parser = argparse.ArgumentParser(prog="python -m gazetteer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the local index (skips when it is up to date)")
    build.add_argument("--quiet", action="store_true", help="print nothing unless something fails")
    build.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    build.add_argument("--path", type=Path, default=None, help="index folder (default: from the settings)")
    build.add_argument(
        "--geonames",
        type=Path,
        nargs="+",
        default=[],
        metavar="ZIP",
        help="GeoNames dumps (allCountries.zip, citiesNNN.zip) to add",
    )
    build.add_argument(
        "--alternate-names",
        type=Path,
        default=None,
        metavar="ZIP",
        help="GeoNames alternateNamesV2.zip (language-tagged names)",
    )
    build.add_argument(
        "--admin1", type=Path, default=None, metavar="FILE", help="GeoNames admin1CodesASCII.txt"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    inputs = BuildInputs(tuple(args.geonames), args.alternate_names, args.admin1)
    for path in (*inputs.geonames, inputs.alternate_names, inputs.admin1):
        if path is not None and not path.is_file():
            print(f"gazetteer: {path}: no such file", file=sys.stderr)
            return 2
    try:
        folder = build_index(args.path, quiet=args.quiet, inputs=inputs, force=args.force)
    except GazetteerError as err:
        print(f"gazetteer: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
