"""ooh: out-of-hours GP care tools.

Two engines share one package: a pooled rota planner (``ooh.rota``, CP-SAT) and a
gain-share contract modeller (``ooh.gainshare``). Heavy libraries (ortools, pandas,
matplotlib) are imported only inside the modules that need them so that ``ooh --help``
stays fast.
"""

__version__ = "0.1.0"
