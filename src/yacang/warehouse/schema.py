"""DDL of the warehouse tables (DuckDB dialect; created if missing)."""

SCHEMA_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS series (
        series_id VARCHAR PRIMARY KEY,
        indicator VARCHAR,       -- catalog indicator code, or 'raw' when unmapped
        measure VARCHAR,         -- catalog measure code (yoy, ytd_yoy, value …)
        region VARCHAR,          -- GB/T 2260 code; 100000 = nation
        industry VARCHAR,        -- TOTAL, B/C/D, 06–46, HT/EQ, or a class code
        category VARCHAR,        -- further breakdown (ownership, product …), '' if none
        frequency VARCHAR,       -- M, Q, Y, W, D, 10D
        unit VARCHAR,
        source VARCHAR,          -- nbs, wind, ifind, worldbank, demo, report …
        original_name VARCHAR,   -- the name in the source file
        jan_feb VARCHAR,         -- 1-2月合并 / 1-2月拆分 / ''
        created_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS observations (
        series_id VARCHAR NOT NULL,
        period VARCHAR NOT NULL,  -- canonical period code (2022-03, 2022-01/02, 2022Q1, 2022-03-15)
        period_end DATE NOT NULL,
        value DOUBLE,
        vintage TIMESTAMP NOT NULL,  -- published or loaded
        flags VARCHAR,               -- comma list: 1-2月合并, estimated, revised …
        source_file VARCHAR,
        source_row INTEGER,
        source_col VARCHAR,
        batch_id VARCHAR,
        loaded_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        batch_id VARCHAR, source_file VARCHAR, "row" INTEGER, col VARCHAR, value VARCHAR,
        reason VARCHAR, recorded_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS batches (
        batch_id VARCHAR PRIMARY KEY, source_file VARCHAR, sha256 VARCHAR, format VARCHAR,
        loaded_at TIMESTAMP, n_series INTEGER, n_observations INTEGER, n_new INTEGER,
        n_revised INTEGER, n_rejected INTEGER, status VARCHAR
    )""",
)
