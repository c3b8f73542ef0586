"""Immutable checkpoints of the live store for the query workers to read.

pyoxigraph documents opening a store read-only while another process writes it as undefined
behaviour, and it is: under a stream of writes, ``Store.read_only`` on the live directory
failed with "Corruption: … No such file … .sst" and a query on a store so opened hung. A
checkpoint (``Store.backup`` into the same file system: hard links to the immutable SST
files plus a small log) never changes once written, so a worker can open it, and reopen the
next one after a write, in tens of milliseconds and with nothing undefined. A checkpoint is
deleted once no worker has it open.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ontology.errors import StoreError


def snapshot_root(store_path: Path) -> Path:
    """Where the checkpoints of the store at ``store_path`` live (same file system)."""
    return store_path.parent / f"{store_path.name}.sparql-snapshots"


class Snapshots:
    """Numbered checkpoints of ``store`` under ``root``; the newest is :attr:`current`."""

    def __init__(self, store: ox.Store, root: Path) -> None:
        self.store = store
        self.root = root
        self._lock = threading.Lock()
        self._number = 0
        shutil.rmtree(root, ignore_errors=True)  # left over by a server that was killed
        root.mkdir(parents=True)
        self.current = self._take()

    def _take(self) -> Path:
        with self._lock:
            self._number += 1
            target = self.root / f"{self._number:08d}"
        try:  # not under the lock: prune() leaves checkpoints newer than the current alone
            self.store.backup(str(target))
        except OSError as exc:
            message = f"cannot checkpoint the RDF store for the query workers: {exc}"
            raise StoreError(message) from None
        return target

    def take(self) -> Path:
        """Checkpoint the store as it is now; the new checkpoint becomes :attr:`current`."""
        target = self._take()
        with self._lock:
            if target.name > self.current.name:
                self.current = target
            return self.current

    def prune(self, in_use: Iterable[Path]) -> None:
        """Delete every checkpoint older than the current one that is not in ``in_use``."""
        with self._lock:
            keep = {self.current, *in_use}
            for entry in self.root.iterdir():
                if entry not in keep and entry.name < self.current.name:
                    shutil.rmtree(entry, ignore_errors=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            shutil.rmtree(self.root)
