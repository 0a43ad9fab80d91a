"""What the CLI draws on a terminal: its size, when it reports none."""
from __future__ import annotations

import os

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
