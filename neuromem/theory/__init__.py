"""Closed-form results used as test oracles and plot overlays."""
