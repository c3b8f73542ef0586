"""Coordination analyses of the accountability network (built by ``network``).

Each module is one family of pure functions: a networkx graph in, plain dataclasses out, no I/O,
deterministic ordering. ``export.py`` is the only module here that writes files.
"""
