"""Rota planner: pooled out-of-hours rotas with CP-SAT, re-checked by an independent checker."""
