"""Values computed once per object (a directory's frame, a geography) and reused by every request.

The objects are big and live as long as the worker; they are not hashable (DataFrames), so the key is
the object's identity, and the object itself is kept beside the value so that a new object that happens
to get the same ``id`` is never served an old value."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
KEPT = 4  # a worker serves one directory; tests build several


def resolved(obj: Any) -> Any:
    """The object a stand-in (a live directory, :mod:`maillage_dash.store.live`) stands for right now;
    any other object itself."""
    resolve = getattr(obj, "resolved", None)
    return resolve() if callable(resolve) else obj


def per_object(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """``fn(obj)`` computed once per ``obj`` (by identity), for the last few objects seen. A live
    directory is resolved first: each of its versions gets its own value."""
    cache: dict[int, tuple[Any, T]] = {}
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(obj: Any) -> T:
        obj = resolved(obj)
        with lock:
            hit = cache.get(id(obj))
            if hit is not None and hit[0] is obj:
                return hit[1]
        value = fn(obj)
        with lock:
            cache[id(obj)] = (obj, value)
            while len(cache) > KEPT:
                cache.pop(next(iter(cache)))
        return value

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper
