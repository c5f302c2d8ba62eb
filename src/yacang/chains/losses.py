"""Output lost by the enterprises a shock scenario touches, summed one way everywhere.

An enterprise with no monthly report before the shock has an unknown loss (NULL in the warehouse). A sum
over enterprises is then of the known losses only, says how many are unknown, and is itself unknown
(None), never 0, when no loss is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from yacang.formatting import fmt_thousands


@dataclass(frozen=True)
class Losses:
    """Affected enterprises, output lost (万元, of those with a known loss; None if none) and the unknown count."""

    affected: int
    output_lost: float | None
    unknown: int

    @property
    def all_unknown(self) -> bool:
        return self.affected > 0 and self.unknown >= self.affected

    @property
    def unknown_note(self) -> str:
        """“（另 2 家无月报，未计入）” after a sum that leaves some out; empty when none is left out."""
        return f"（另 {self.unknown} 家无月报，未计入）" if self.unknown else ""

    def text(self) -> str:
        """“1,234.5”, “1,234.5（另 2 家无月报，未计入）” or “—（无月报，无法估算）”."""
        if self.all_unknown:
            return "—（无月报，无法估算）"
        return fmt_thousands(self.output_lost) + self.unknown_note


def losses(enterprises: pd.DataFrame) -> Losses:
    """:class:`Losses` of these affected enterprises (rows with an ``output_lost`` column, 万元)."""
    lost = enterprises["output_lost"]
    total = lost.sum(min_count=1)
    known = 0.0 if enterprises.empty else (None if pd.isna(total) else float(total))
    return Losses(affected=len(enterprises), output_lost=known, unknown=int(lost.isna().sum()))
