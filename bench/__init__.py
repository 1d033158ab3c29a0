"""The performance benchmark: synthetic books (`generate`) and the side-by-side runner (`run`)."""
