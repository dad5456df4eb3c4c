"""The CP-SAT rota model (the only package besides ooh.rota.solve that imports ortools)."""
