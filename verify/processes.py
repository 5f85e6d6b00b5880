"""Process trees read from /proc (Linux): what a command left running after it was killed."""

import os
from pathlib import Path


def parents():
    """{pid: (parent pid, state)} of every process now running."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        # The command name is in parentheses and may hold spaces: the fields follow the last ")".
        state, ppid = text.rsplit(")", 1)[1].split()[:2]
        table[int(stat.parent.name)] = (int(ppid), state)
    return table


def descendants(pid):
    """The pids of every process below `pid`."""
    table = parents()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids):
    """Those of `pids` still running (a zombie has exited: it only waits to be reaped)."""
    table = parents()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def kill_9(pid):
    os.kill(pid, 9)
