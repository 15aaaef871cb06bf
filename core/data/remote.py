"""Row counts of remote parquet files, read from their footers by HTTP Range.

A parquet file ends with its metadata, a 4-byte little-endian metadata
length and the magic `PAR1`. Two small range requests fetch just that, so
the feature-set step can estimate a multi-gigabyte training file without
downloading it.
"""

from __future__ import annotations

import logging
import struct

log = logging.getLogger(__name__)

MAGIC = b"PAR1"
TAIL_BYTES = 8
# Upper bound on a footer, so that a corrupt length cannot request a huge range.
MAX_FOOTER_BYTES = 64 << 20
TIMEOUT_S = (10, 30)


def _range(session, url: str, header: str) -> bytes:
    response = session.get(url, headers={"Range": header}, timeout=TIMEOUT_S)
    response.raise_for_status()
    if response.status_code != 206:
        raise ValueError(
            f"server ignored the Range header (HTTP {response.status_code})"
        )
    return response.content


def remote_parquet_rows(url: str) -> int | None:
    """Return the row count of the parquet file at `url`, or None if unreadable."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import requests

    try:
        with requests.Session() as session:
            tail = _range(session, url, f"bytes=-{TAIL_BYTES}")
            footer_length = struct.unpack("<I", tail[:4])[0]
            if tail[4:] != MAGIC or not 0 < footer_length <= MAX_FOOTER_BYTES:
                raise ValueError("not a parquet file")
            footer = _range(session, url, f"bytes=-{footer_length + TAIL_BYTES}")
        metadata = pq.read_metadata(pa.BufferReader(MAGIC + footer))
        return metadata.num_rows
    except (requests.RequestException, ValueError, OSError, pa.ArrowException) as error:
        log.info(
            "could not read the parquet footer at %s: %s", url.split("?")[0], error
        )
        return None
