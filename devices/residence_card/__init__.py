"""Japanese residence cards: generation 1 (3DES) and generation 2 (AES, types 05/06)."""
