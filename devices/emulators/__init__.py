"""Card emulators for tests and training mode, reachable through PC/SC via vsmartcard's vpcd.

NOTE: test and training use only. They hold synthetic data and test keys made at run time.
"""
