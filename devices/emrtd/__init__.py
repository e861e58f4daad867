"""ICAO 9303 eMRTDs (e-passports and eID cards with an LDS1 application) over PC/SC."""
