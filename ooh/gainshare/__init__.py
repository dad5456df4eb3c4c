"""Gain-share contract modeller: settle, simulate, sweep and compare outcome contracts."""
