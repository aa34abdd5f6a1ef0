"""The script a PMO analyst would write: read every sheet with pandas, concat, to_excel.

python bench/naive_consolidate.py FOLDER OUT.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    frames: dict[str, list[pd.DataFrame]] = {}
    for path in sorted(folder.glob("*.xlsx")):
        for name, df in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            df.insert(0, "Source File", path.name)
            frames.setdefault(name, []).append(df)
    with pd.ExcelWriter(out) as writer:
        for name, parts in frames.items():
            pd.concat(parts, ignore_index=True).to_excel(writer, sheet_name=name[:31], index=False)
    print(f"naive: wrote {out} with engine {writer.engine}")


if __name__ == "__main__":
    main()
