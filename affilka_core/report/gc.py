"""Pausing Python's cyclic garbage collector around bulk object creation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a block builds many fresh containers.

    Decoding or generating a report creates millions of lists and dicts that hold no reference
    cycles; the collector would sweep them again and again and find nothing. Only the state this
    block found is restored, so nested or concurrent uses never leave the collector off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
