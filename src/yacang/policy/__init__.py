"""Policy documents and news: cleaning, de-duplication, the measure registry, facts cross-checked with data.

Pure text functions live in :mod:`clean` (decoding, markup, pinyin, traditional characters), :mod:`noise`
(spam and chrome lines, tokenisation marks, mojibake, PDF line breaks, spaced numbers), :mod:`dates`
(the document date and why), :mod:`dedup`, :mod:`parse` (notice structure, own and cited 文号, kind,
title) and :mod:`facts` (figures, with the words of :mod:`yacang.catalog.vocabulary`); :mod:`crosscheck`
compares facts with the warehouse by measure and period; :mod:`evaluate` scores the extractor against
hand-listed facts; :mod:`registry` writes everything to the app database (:mod:`models`).
"""
