"""SPARQL workers (and multiprocessing's resource tracker) end when their parent is killed
(issue #10 point 6): a SIGKILLed server must not leave query processes behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from tests.paths import ROOT as REPO_ROOT

#: Starts a service, keeps one worker busy with a runaway query (a busy worker never reads
#: its pipe, so it does not notice the parent's end), prints the worker pids, waits.
PARENT = """
import sys, threading, time
from pathlib import Path
from graph.sparql.service import SparqlService
service = SparqlService(Path(sys.argv[1]), {}, timeout_s=600, row_limit=10, workers=2,
                        sealed=False)
service.execute("ASK {}", None)
runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
threading.Thread(target=service.execute, args=(runaway, None), daemon=True).start()
time.sleep(1)
print(" ".join(str(w.process.pid) for w in service._all), flush=True)
time.sleep(600)
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        state = (Path(f"/proc/{pid}/stat")).read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "rdf"))
    p = ox.NamedNode("http://example.org/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, p) for i in range(1000))
    store.flush()
    del store
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "rdf")],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        workers = {int(p) for p in parent.stdout.readline().split()}
        assert len(workers) == 3  # two workers and the warm spare
        children = _children(parent.pid)
        assert workers <= children
        assert len(children - workers) == 1  # multiprocessing's resource tracker
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(p) for p in children):
            time.sleep(0.1)
        assert [p for p in children if _alive(p)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
