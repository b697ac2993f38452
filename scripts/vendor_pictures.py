"""Copy the curriculum's open-licensed pictures from their npm packages, or check the copies.

    python scripts/vendor_pictures.py           # fetch each package once, copy what is listed
    python scripts/vendor_pictures.py --check   # the files here equal the packages' (exit 1 if not)

`curriculum/pictures/pictures.yaml` lists every picture with its `origin`: an npm package
(name@version) and the path inside it, or `drawn` for a drawing made for this curriculum. The
packages are fetched with `npm pack` (the npm registry serves them), so where each file came
from is recorded and can be checked again at any time. Each package's licence file is copied
into LICENSES/ beside the pictures, named by the licence's key in pictures.yaml.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

PICTURES = Path(__file__).resolve().parents[1] / "curriculum" / "pictures"
LICENCE_FILES = ("LICENSE.txt", "LICENSE", "LICENSE.md")


def fetch(package: str, into: Path) -> tarfile.TarFile:
    """The package's tarball, from the npm registry."""
    out = subprocess.run(["npm", "pack", "--silent", package], cwd=into, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return tarfile.open(into / out)


def member(archive: tarfile.TarFile, path: str) -> bytes:
    extracted = archive.extractfile(f"package/{path}")
    if extracted is None:
        raise SystemExit(f"{path}: not a file in the package")
    return extracted.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare the copies with the packages; change nothing")
    args = parser.parse_args()
    catalogue = yaml.safe_load((PICTURES / "pictures.yaml").read_text(encoding="utf-8"))
    by_package: dict[str, list[dict]] = {}
    for picture in catalogue["pictures"]:
        if isinstance(picture["origin"], dict):
            by_package.setdefault(picture["origin"]["package"], []).append(picture)
    differing = []
    with tempfile.TemporaryDirectory() as tmp:
        for package, pictures in by_package.items():
            archive = fetch(package, Path(tmp))
            for picture in pictures:
                data = member(archive, picture["origin"]["path"])
                target = PICTURES / picture["file"]
                if args.check:
                    if not target.is_file() or target.read_bytes() != data:
                        differing.append(picture["file"])
                else:
                    target.write_bytes(data)
            names = set(archive.getnames())
            licence = next(f"package/{n}" for n in LICENCE_FILES if f"package/{n}" in names)
            target = PICTURES / "LICENSES" / f"{pictures[0]['licence']}.txt"
            if not args.check:
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(archive.extractfile(licence).read())
            print(f"{package}: {len(pictures)} pictures {'checked' if args.check else 'copied'}")
    for name in differing:
        print(f"{name}: differs from its package (run without --check to copy it again)")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
