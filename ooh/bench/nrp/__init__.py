"""Curtois & Qu shift-scheduling benchmark: reader, independent evaluator, runner."""
