"""Smart-card transport (PC/SC) and the APDU layer shared by every card family."""
