"""The server process's memory allocator, asked to give large buffers back: once per process, from app.py.

glibc's malloc serves a large request (a page's body, a column, an Arrow buffer) with a mapping of its
own, returned to the system when freed; but after the first such free it raises that threshold (up to
32 MiB), so later large buffers come from the heap of the thread that asked, where freed memory stays.
Streamlit runs every session's script, and every fetch its downloads, in threads of their own: each new
session then left the server some 20 MiB larger than what it holds. A fixed threshold keeps large
buffers mapped, and freed for good. Where malloc is not glibc's, nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# Requests this large or larger get a mapping of their own (glibc's own starting threshold).
MAPPED_FROM = 128 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
_asked = False


def give_large_buffers_back() -> None:
    """Fix glibc's mmap threshold at `MAPPED_FROM` (the first call in a process; later ones return)."""
    global _asked
    if _asked:
        return
    _asked = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.mallopt(_M_MMAP_THRESHOLD, MAPPED_FROM)
    except (OSError, AttributeError, TypeError):  # no C library by that name, or no mallopt in it
        pass
