"""Policy documents and news: cleaning, de-duplication, the measure registry, facts cross-checked with data.

Pure text functions live in :mod:`clean`, :mod:`dedup`, :mod:`parse` and :mod:`facts`; :mod:`crosscheck`
compares facts with the warehouse; :mod:`registry` writes everything to the app database
(:mod:`models`).
"""
