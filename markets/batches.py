"""Many writes to the record made as one batch: an import, a bulk action, an archiving.

What follows a write (the status index rewritten, in status) may be worth doing once
for the whole batch rather than once a row. The record does not know what follows: an
app that derives something from it registers, in its ``ready()``, a context manager
that holds its work back while the batch runs and does it at the end; the writers of
the record only say where a batch begins and ends (``record_writes_batched``). So the
arrow runs from the app that derives to the record, never back.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

#: Context managers entered around every batch, in the order they were registered.
_batch_contexts: list[Callable[[], AbstractContextManager]] = []


def register_batch_context(context: Callable[[], AbstractContextManager]) -> None:
    """Enter ``context()`` around every batch of writes from now on (once per
    context, however often an app's ``ready()`` runs)."""
    if context not in _batch_contexts:
        _batch_contexts.append(context)


@contextmanager
def record_writes_batched() -> Iterator[None]:
    """Within, the record's writes form one batch: what follows each is done once, at
    the end, by whoever registered for it. Nested batches are part of the outer one;
    a batch that raises ends without the work that would have followed it."""
    with ExitStack() as stack:
        for context in _batch_contexts:
            stack.enter_context(context())
        yield
