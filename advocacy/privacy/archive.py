"""Writing an export: one data.json plus one CSV per kind of record, in a zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable


def build_zip(
    sections: Iterable[tuple[str, list[dict]]], *, total: int, on_progress: Callable[[int], None]
) -> bytes:
    buffer = io.BytesIO()
    everything: dict[str, list[dict]] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (label, rows) in enumerate(sections, start=1):
            everything[label] = rows
            text = io.StringIO()
            columns = sorted({key for row in rows for key in row})
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
                )
            archive.writestr(f"csv/{label}.csv", text.getvalue())
            on_progress(min(95, 95 * done // max(total, 1)))
        archive.writestr("data.json", json.dumps(everything, indent=2, ensure_ascii=False))
    return buffer.getvalue()
