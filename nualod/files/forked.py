"""A call run in a forked process of its own, with no thread in the parent.

``concurrent.futures.ProcessPoolExecutor`` starts a thread to manage its process; a second
executor forked while that thread runs copies a multi-threaded process (Python 3.12 warns:
such a child may deadlock on a lock a thread held). A :class:`ForkedCall` forks at once and
talks over one pipe: the parent keeps a single thread, however many calls run beside it.
The child inherits the parent's memory (what it needs is not pickled); only its result or
its error travels back, pickled.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar, cast

from nualod.errors import worker_signals
from nualod.files.pool import stops_held

T = TypeVar("T")


class ForkedCallError(RuntimeError):
    """The forked process ended without an answer (killed, or its error not picklable)."""


class ForkedCall(Generic[T]):
    """``function()`` run in a process forked now; :meth:`result` waits for what it returned.

    >>> ForkedCall(lambda: 6 * 7).result()
    42
    >>> ForkedCall(lambda: int("x")).result()
    Traceback (most recent call last):
    ValueError: invalid literal for int() with base 10: 'x'
    >>> unsent = ForkedCall(lambda: lambda: 0)  # a result that does not pickle
    >>> unsent.result()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.files.forked.ForkedCallError: its result could not be sent: ...
    >>> import os
    >>> ended = ForkedCall(lambda: os._exit(3))
    >>> for _ in range(2):
    ...     try:
    ...         ended.result()
    ...     except ForkedCallError as error:
    ...         print(error)
    the process beside this one ended without an answer (exit code 3)
    the process beside this one ended without an answer (exit code 3)
    """

    def __init__(self, function: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._answers, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(function, sender), daemon=True)
        try:
            with stops_held():  # until the child has set up its signals
                self._process.start()
        except BaseException:  # a stop that came meanwhile: the child goes with it
            if self._process.pid is not None:
                self._process.kill()
                self._process.join()
            raise
        sender.close()  # the child's end: an EOF here once the child is gone
        self._answer: tuple[bool, Any] | None = None

    def result(self) -> T:
        """Return what the function returned, or raise what it raised."""
        if self._answer is None:
            try:
                self._answer = self._answers.recv()
            except EOFError:
                self._process.join()
                self._answer = (
                    False,
                    ForkedCallError(
                        "the process beside this one ended without an answer "
                        f"(exit code {self._process.exitcode})"
                    ),
                )
            finally:
                self._answers.close()
            self._process.join()
        done, value = self._answer
        if done:
            return cast(T, value)
        raise value

    def stop(self) -> None:
        """End the process if it still runs (the parent is stopping)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


class CalledNow(Generic[T]):
    """``function()`` called now, in this process, kept as a :class:`ForkedCall` keeps it.

    >>> CalledNow(lambda: 6 * 7).result()
    42
    """

    def __init__(self, function: Callable[[], T]) -> None:
        try:
            self._answer: tuple[bool, Any] = (True, function())
        except Exception as error:  # raised by result(), as a forked call's would be
            self._answer = (False, error)

    def result(self) -> T:
        """Return what the function returned, or raise what it raised."""
        done, value = self._answer
        if done:
            return cast(T, value)
        raise value

    def stop(self) -> None:
        """Nothing runs: the call is made."""


def call_beside(function: Callable[[], T]) -> ForkedCall[T] | CalledNow[T]:
    """Return ``function()`` run in a process forked now, if this process has no other
    thread (a library user's program may have them: a fork could then deadlock), else
    called now.

    >>> call_beside(lambda: 6 * 7).result()
    42
    """
    if threading.active_count() == 1:
        return ForkedCall(function)
    return CalledNow(function)


def _run(function: Callable[[], Any], answers: Connection) -> None:
    worker_signals()
    try:
        answer: tuple[bool, Any] = (True, function())
    except BaseException as error:  # every error goes back to the parent
        answer = (False, portable_error(error.with_traceback(None)))
    try:
        answers.send(answer)
    except Exception as error:  # a result that does not pickle: the parent gets words
        answers.send((False, ForkedCallError(f"its result could not be sent: {error}")))
    answers.close()


def portable_error(error: BaseException) -> BaseException:
    """Return ``error`` if the parent can unpickle it, else a :class:`ForkedCallError` that
    says what it was (an exception whose ``__init__`` takes other arguments than its
    ``args`` pickles but does not unpickle).

    >>> class Odd(Exception):
    ...     def __init__(self, a, b):
    ...         super().__init__(f"{a}{b}")
    >>> portable_error(Odd(1, 2))
    ForkedCallError('Odd: 12')
    >>> portable_error(ValueError("v"))
    ValueError('v')
    >>> portable_error(SystemExit(3))  # raised again, it would end the parent
    ForkedCallError('SystemExit: 3')
    """
    if not isinstance(error, Exception):
        return ForkedCallError(f"{type(error).__name__}: {error}")
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # whatever stops it, the parent gets words
        return ForkedCallError(f"{type(error).__name__}: {error}")
    return error
