"""DDL of every analytical table in the warehouse (DuckDB dialect; created if missing when it opens).

The warehouse owns these tables: series and observations with vintages, quarantine and batches, and
the enterprise microdata (registry, monthly reports with 上年同期, review state, targets). Money is
stored in 万元 (forms in 千元 are converted on load); 用电量 in 万千瓦时; 从业人员 in 人; each report row
holds one enterprise's 当月 figures with its own 上年同期, so growth is 同口径 by construction.
"""

from yacang.warehouse.report_ytd import DDL as REPORT_YTD_DDL

MICRODATA_SCHEMA_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS enterprises (
        uscc VARCHAR PRIMARY KEY,   -- 统一社会信用代码 (GB 32100-2015, 18 chars)
        name VARCHAR NOT NULL,
        region VARCHAR NOT NULL,    -- county-level (or prefecture) GB/T 2260 code
        industry VARCHAR NOT NULL,  -- GB/T 4754-2017 class (4 digits) or division (2 digits)
        park VARCHAR,               -- 园区 name, NULL if none
        size_class VARCHAR,         -- 大型 / 中型 / 小型 / 微型
        ownership VARCHAR,          -- 国有控股 / 股份制 / 外商及港澳台 / 私营 / 其他
        is_key BOOLEAN DEFAULT FALSE,  -- 重点企业
        frequency VARCHAR DEFAULT '月' -- monitoring frequency 月 / 周 / 日
    )""",
    """CREATE TABLE IF NOT EXISTS enterprise_years (
        uscc VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        above_scale BOOLEAN NOT NULL,  -- 规上 in that year (set each January)
        PRIMARY KEY (uscc, year)
    )""",
    """CREATE TABLE IF NOT EXISTS reports (
        uscc VARCHAR NOT NULL,
        period VARCHAR NOT NULL,         -- 2022-03 or 2022-01/02
        output_value DOUBLE,             -- 工业总产值(当期价格) 万元
        output_value_prev DOUBLE,        -- 上年同期
        sales_value DOUBLE,              -- 工业销售产值 万元
        sales_value_prev DOUBLE,
        export_delivery DOUBLE,          -- 出口交货值 万元
        export_delivery_prev DOUBLE,
        revenue DOUBLE,                  -- 营业收入 万元
        revenue_prev DOUBLE,
        profit DOUBLE,                   -- 利润总额 万元
        profit_prev DOUBLE,
        electricity DOUBLE,              -- 用电量 万千瓦时
        electricity_prev DOUBLE,
        employment DOUBLE,               -- 从业人员 人
        employment_prev DOUBLE,
        status VARCHAR DEFAULT 'accepted',  -- submitted / returned / accepted
        vintage TIMESTAMP NOT NULL,
        source_file VARCHAR,
        source_row INTEGER,
        division VARCHAR                 -- GB/T 4754 division (2 digits) of the enterprise, from the registry
                                         -- (report_queries.insert_reports): the measures need no registry join
    )""",
    """CREATE TABLE IF NOT EXISTS division_params (
        year INTEGER NOT NULL,
        division VARCHAR NOT NULL,       -- 06–46
        va_rate DOUBLE NOT NULL,         -- 增加值率 (value added / gross output), 0..1
        PRIMARY KEY (year, division)
    )""",
    """CREATE TABLE IF NOT EXISTS division_ppi (
        period VARCHAR NOT NULL,         -- 2022-03 or 2022-01/02
        division VARCHAR NOT NULL,
        index_yoy DOUBLE NOT NULL,       -- PPI, 上年同月 = 100
        PRIMARY KEY (period, division)
    )""",
    """CREATE TABLE IF NOT EXISTS targets (
        region VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        indicator VARCHAR NOT NULL,      -- e.g. iva
        growth DOUBLE NOT NULL,          -- annual target growth, %
        PRIMARY KEY (region, year, indicator)
    )""",
    # Added by the microdata engine (issue 3): status history of reports and the review queue.
    """CREATE TABLE IF NOT EXISTS report_status_history (
        uscc VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        status VARCHAR NOT NULL,         -- submitted / returned / accepted
        reason VARCHAR,                  -- why (审核 reasons when returned)
        changed_by VARCHAR,
        changed_at TIMESTAMP NOT NULL,
        source_file VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS review_queue (
        uscc VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        rule VARCHAR NOT NULL,           -- logic.sales_vs_output, swing.yoy, swing.peers, ...
        severity VARCHAR NOT NULL,       -- 错误 (must fix) / 提示 (explain)
        message VARCHAR NOT NULL,        -- Chinese reason shown to the reviewer
        created_at TIMESTAMP NOT NULL,
        resolved BOOLEAN DEFAULT FALSE
    )""",
    *REPORT_YTD_DDL,  # each enterprise's 当月/累计 sums by month, kept in step by the writers
)

OBSERVATION_SCHEMA_SQL: tuple[str, ...] = (
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

SCHEMA_SQL: tuple[str, ...] = OBSERVATION_SCHEMA_SQL + MICRODATA_SCHEMA_SQL

def migrate(db) -> list[str]:
    """Add the columns an older warehouse file lacks (added to the DDL above after files were first
    written) and fill them; returns what was added. Idempotent: a column that exists is left alone (the
    writers keep its values in step)."""
    from yacang.warehouse.report_queries import refresh_report_divisions

    added_later = (("reports", "division", "VARCHAR", refresh_report_divisions),)
    added = []
    for table, column, kind, fill in added_later:
        have = db.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                          [table, column]).fetchall()[0][0]
        if not have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            fill(db)
            added.append(f"{table}.{column}")
    return added
