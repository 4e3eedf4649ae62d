"""Data files shipped with neuromem (recordings the specs and tests replay); see each folder's README."""
