"""Progress bars of the CLI's long phases (indexing files, embedding
documents): drawn on a terminal, quiet when stderr is piped."""
from __future__ import annotations

import os
import sys

from tqdm import tqdm

# The size assumed of a terminal that reports none: a pty whose window size
# was never set reports 0 x 0, from which tqdm took -1 lines and drew nothing.
FALLBACK_SIZE = (80, 24)


def terminal_size(stream) -> tuple[int | None, int | None]:
    """(columns, lines) of the terminal `stream` writes to; Nones when it
    is no terminal."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None, None
    return size.columns or FALLBACK_SIZE[0], size.lines or FALLBACK_SIZE[1]


def _sized() -> dict:
    """tqdm's options for stderr: a bar on a terminal only (disable=None)."""
    columns, lines = terminal_size(sys.stderr)
    return dict(file=sys.stderr, disable=None, ncols=columns, nrows=lines)


def files(items, total: int):
    """`items` (files being indexed), counted on a bar."""
    return tqdm(items, total=total, unit="file", desc="indexing", **_sized())


def batches(items, total: int):
    """`items` (batches of documents being embedded), counted by document."""
    with tqdm(total=total, unit="doc", desc="embedding", **_sized()) as shown:
        for batch in items:
            yield batch
            shown.update(len(batch))
