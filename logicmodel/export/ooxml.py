"""Deterministic Office Open XML packages (.docx, .xlsx).

python-docx and openpyxl stamp each zip member with the time of writing, and
openpyxl the document properties too, so two exports of one model would
differ. :func:`repack` rewrites a package with every member dated 1980-01-01
(the zip epoch), in the order written, compressed the same way: the same
model gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile

__all__ = ["EPOCH", "repack"]

EPOCH = (1980, 1, 1, 0, 0, 0)


def repack(data: bytes) -> bytes:
    """The package ``data`` with fixed member dates and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
