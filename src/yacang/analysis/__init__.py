"""Analysis and 研判: seasonal adjustment with the Spring Festival, composite indices, Bry–Boschan
turning points and the nowcast of 规上工业增加值 当月同比 (pure functions on monthly pandas Series).
"""
