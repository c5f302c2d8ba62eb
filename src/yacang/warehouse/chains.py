"""Warehouse tables of the chains area (产业链供应链) and the named queries other code uses.

Tables: chain maps and their segments (with GB/T 4754 classes, input segments, materials), enterprises on
segments (role 链主/关键节点/配套, basis 行业/申报/示例), supplier→customer links, and scenario results
(per day, per enterprise, per chain, per region) so that scenarios are stored and comparable; the
bulletin and the web read them, they never recompute them. Writes are all-or-nothing (one transaction).

The reads the bulletin and the chain alerts use are Ibis expressions on a backend (``*_expr(con, …)``), so
they run on DuckDB and on Spark alike (the tables published with :data:`TABLES`, as the microdata are);
the ``wh`` functions are those expressions on the warehouse's own connection, as frames.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from yacang.warehouse.transaction import transaction

TABLES = ("chain_maps", "chain_segments", "chain_segment_materials", "chain_members", "chain_links",
          "chain_scenarios", "chain_scenario_daily", "chain_scenario_enterprises", "chain_scenario_groups")

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS chain_maps (
        chain VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, sources VARCHAR,
        source_file VARCHAR, sha256 VARCHAR, loaded_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS chain_segments (
        chain VARCHAR NOT NULL, segment VARCHAR NOT NULL, name VARCHAR NOT NULL, stage VARCHAR NOT NULL,
        position INTEGER, industries VARCHAR NOT NULL,  -- comma list of GB/T 4754-2017 codes
        inputs VARCHAR, products VARCHAR, PRIMARY KEY (chain, segment)
    )""",
    """CREATE TABLE IF NOT EXISTS chain_segment_materials (
        chain VARCHAR NOT NULL, segment VARCHAR NOT NULL, material VARCHAR NOT NULL, share DOUBLE NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS chain_members (
        chain VARCHAR NOT NULL, segment VARCHAR NOT NULL, uscc VARCHAR NOT NULL,
        role VARCHAR NOT NULL,   -- 链主 / 关键节点 / 配套
        basis VARCHAR NOT NULL,  -- 行业 (by industry class) / 申报 (declared) / 示例 (demo)
        source_file VARCHAR, added_at TIMESTAMP NOT NULL, PRIMARY KEY (chain, segment, uscc)
    )""",
    """CREATE TABLE IF NOT EXISTS chain_links (
        supplier VARCHAR NOT NULL, customer VARCHAR NOT NULL,
        share DOUBLE NOT NULL,            -- share of the customer's inputs from this supplier, 0..1
        substitutability DOUBLE NOT NULL, -- share of a lost supply the customer can replace, 0..1
        inventory_days DOUBLE NOT NULL,   -- customer's stock of this input, days of full use
        product VARCHAR, chain VARCHAR, source_file VARCHAR, source_row INTEGER, loaded_at TIMESTAMP NOT NULL,
        PRIMARY KEY (supplier, customer)
    )""",
    """CREATE TABLE IF NOT EXISTS chain_scenarios (
        scenario_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, params VARCHAR,
        start_date DATE NOT NULL, days INTEGER NOT NULL, data_source VARCHAR NOT NULL,
        n_direct INTEGER, n_affected INTEGER, output_lost DOUBLE, created_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS chain_scenario_daily (
        scenario_id VARCHAR NOT NULL, day INTEGER NOT NULL, date DATE NOT NULL,
        affected INTEGER NOT NULL, output_lost DOUBLE NOT NULL  -- 万元, that day
    )""",
    """CREATE TABLE IF NOT EXISTS chain_scenario_enterprises (
        scenario_id VARCHAR NOT NULL, uscc VARCHAR NOT NULL, region VARCHAR, direct BOOLEAN NOT NULL,
        first_day INTEGER, min_level DOUBLE NOT NULL,
        output_lost DOUBLE  -- 万元 over the horizon; NULL if no report before the shock (unknown, not 0)
    )""",
    """CREATE TABLE IF NOT EXISTS chain_scenario_groups (
        scenario_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,  -- chain / province
        key VARCHAR NOT NULL, affected INTEGER NOT NULL, output_lost DOUBLE NOT NULL
    )""",
)

MEMBER_COLUMNS = ["chain", "segment", "uscc", "role", "basis", "source_file"]
LINK_COLUMNS = ["supplier", "customer", "share", "substitutability", "inventory_days", "product", "chain",
                "source_file", "source_row"]


def ensure_tables(wh) -> None:
    """Create the tables if missing (not on a read-only connection: a reader needs a warehouse that has them)."""
    if getattr(wh, "read_only", False):
        return
    from yacang.warehouse.schema import MICRODATA_SCHEMA_SQL

    for stmt in (*MICRODATA_SCHEMA_SQL, *DDL):  # the registry the queries join, and the chain tables
        wh.db.execute(stmt)


def in_use(wh) -> bool:
    """Whether this warehouse holds chain tables (a real-data warehouse may never have used chains)."""
    return bool(wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'chain_scenarios'"))


def _con(wh) -> ibis.BaseBackend:
    ensure_tables(wh)
    return wh.con


def _transaction(wh, work) -> None:
    with transaction(wh.db) as db:
        work(db)


def _insert(db, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    db.register("_chains_in", df)  # not unregistered on error: an aborted transaction refuses even that
    db.execute(f"INSERT INTO {table} ({', '.join(df.columns)}) SELECT {', '.join(df.columns)} FROM _chains_in")
    db.unregister("_chains_in")


# maps ---------------------------------------------------------------------------------------------------
def save_maps(wh, chains, *, now: dt.datetime | None = None) -> int:
    """Store chain maps (:class:`yacang.chains.maps.ChainMap`), replacing maps of the same code."""
    ensure_tables(wh)
    now = now or dt.datetime.now().replace(microsecond=0)
    maps = pd.DataFrame([{"chain": c.code, "name": c.name, "description": c.description,
                          "sources": json.dumps(list(c.sources), ensure_ascii=False), "source_file": c.source_file,
                          "sha256": c.sha256, "loaded_at": now} for c in chains])
    segs = pd.DataFrame([{"chain": c.code, "segment": s.code, "name": s.name, "stage": s.stage, "position": i,
                          "industries": ",".join(s.industries), "inputs": ",".join(s.inputs),
                          "products": "、".join(s.products)} for c in chains for i, s in enumerate(c.segments)])
    mats = pd.DataFrame([{"chain": c.code, "segment": s.code, "material": m, "share": v}
                         for c in chains for s in c.segments for m, v in s.materials.items()],
                        columns=["chain", "segment", "material", "share"])
    codes = [c.code for c in chains]

    def work(db):
        for t in ("chain_maps", "chain_segments", "chain_segment_materials"):
            db.execute(f"DELETE FROM {t} WHERE chain IN (SELECT unnest(?))", [codes])
        _insert(db, "chain_maps", maps)
        _insert(db, "chain_segments", segs)
        _insert(db, "chain_segment_materials", mats)

    _transaction(wh, work)
    return len(chains)


def _of_chain(con: ibis.BaseBackend, table: str, chain: str | None, order: list[str]) -> ir.Table:
    t = con.table(table)
    return (t.filter(t.chain == chain) if chain else t).order_by(order)


def maps(wh) -> pd.DataFrame:
    return _of_chain(_con(wh), "chain_maps", None, ["chain"]).to_pandas()


def segments(wh, chain: str | None = None) -> pd.DataFrame:
    return _of_chain(_con(wh), "chain_segments", chain, ["chain", "position"]).to_pandas()


def segment_materials(wh, chain: str | None = None) -> pd.DataFrame:
    return _of_chain(_con(wh), "chain_segment_materials", chain, ["chain", "segment", "material"]).to_pandas()


# members and links -----------------------------------------------------------------------------------
def save_members(wh, df: pd.DataFrame, *, replace_basis: str | None = None, now: dt.datetime | None = None) -> int:
    """Upsert memberships (``MEMBER_COLUMNS``); ``replace_basis`` first drops every row of that basis."""
    ensure_tables(wh)
    rows = df[MEMBER_COLUMNS].drop_duplicates(["chain", "segment", "uscc"], keep="last").copy()
    rows["added_at"] = pd.Timestamp(now or dt.datetime.now().replace(microsecond=0))

    def work(db):
        if replace_basis is not None:
            db.execute("DELETE FROM chain_members WHERE basis = ?", [replace_basis])
        db.register("_m", rows)
        db.execute("DELETE FROM chain_members c USING _m WHERE c.chain = _m.chain AND c.segment = _m.segment "
                   "AND c.uscc = _m.uscc")
        db.unregister("_m")
        _insert(db, "chain_members", rows)

    _transaction(wh, work)
    return len(rows)


def members_expr(con: ibis.BaseBackend, chain: str | None = None, *,
                 region_prefix: str | None = None) -> ir.Table:
    """Memberships with the enterprise's name, region and industry (from the microdata registry)."""
    m, e = con.table("chain_members"), con.table("enterprises")
    if chain:
        m = m.filter(m.chain == chain)
    j = m.left_join(e.select("uscc", "name", "region", "industry"), "uscc")
    if region_prefix is not None:
        j = j.filter(j.region.startswith(region_prefix))
    return j.select("chain", "segment", "uscc", "name", "region", "industry", "role", "basis").order_by(
        ["chain", "segment", "role", "uscc"])


def members(wh, chain: str | None = None, *, region_prefix: str | None = None) -> pd.DataFrame:
    """:func:`members_expr` on the warehouse, as a frame."""
    return members_expr(_con(wh), chain, region_prefix=region_prefix).to_pandas()


def save_links(wh, df: pd.DataFrame, *, replace_source: str | None = None, now: dt.datetime | None = None) -> int:
    """Upsert links (``LINK_COLUMNS``) by (supplier, customer); ``replace_source`` drops that file's rows first."""
    ensure_tables(wh)
    rows = df[LINK_COLUMNS].drop_duplicates(["supplier", "customer"], keep="last").copy()
    rows["loaded_at"] = pd.Timestamp(now or dt.datetime.now().replace(microsecond=0))

    def work(db):
        if replace_source is not None:
            db.execute("DELETE FROM chain_links WHERE source_file = ?", [replace_source])
        db.register("_l", rows)
        db.execute("DELETE FROM chain_links c USING _l WHERE c.supplier = _l.supplier AND c.customer = _l.customer")
        db.unregister("_l")
        _insert(db, "chain_links", rows)

    _transaction(wh, work)
    return len(rows)


def links_expr(con: ibis.BaseBackend, *, region_prefix: str | None = None, chain: str | None = None) -> ir.Table:
    """Links with both ends' region; ``region_prefix`` keeps links whose two ends lie in the subtree."""
    lk, e = con.table("chain_links"), con.table("enterprises")
    if chain:
        lk = lk.filter(lk.chain == chain)
    sup = e.select(supplier=e.uscc, supplier_region=e.region)
    cus = e.select(customer=e.uscc, customer_region=e.region)
    j = lk.left_join(sup, "supplier").left_join(cus, "customer")
    if region_prefix is not None:
        j = j.filter(j.supplier_region.startswith(region_prefix), j.customer_region.startswith(region_prefix))
    return j.select("supplier", "customer", "share", "substitutability", "inventory_days", "product", "chain",
                    "supplier_region", "customer_region").order_by(["customer", "supplier"])


def links(wh, *, region_prefix: str | None = None, chain: str | None = None) -> pd.DataFrame:
    """:func:`links_expr` on the warehouse, as a frame."""
    return links_expr(_con(wh), region_prefix=region_prefix, chain=chain).to_pandas()


def enterprise_table_expr(con: ibis.BaseBackend) -> ir.Table:
    """uscc, name, region, industry, is_key of the registry (the graph's nodes)."""
    return con.table("enterprises").select("uscc", "name", "region", "industry", "is_key").order_by("uscc")


def enterprise_table(wh) -> pd.DataFrame:
    """:func:`enterprise_table_expr` on the warehouse, as a frame."""
    return enterprise_table_expr(_con(wh)).to_pandas()


def latest_output_expr(con: ibis.BaseBackend, periods: Sequence[str] | None = None) -> ir.Table:
    """uscc, period, 工业总产值 of each enterprise's reports (latest vintage of each period, 退回 left out);
    ``periods``: of those periods only (filtered before the window, so the engine ranks only their reports)."""
    t = con.table("reports")
    t = t.filter(t.output_value.notnull(), t.status != "returned")
    if periods is not None:
        t = t.filter(t.period.isin(list(periods)))
    t = t.select("uscc", "period", "output_value", "vintage")  # the window carries these columns, not all
    w = ibis.window(group_by=[t.uscc, t.period], order_by=[ibis.desc(t.vintage)])
    return t.mutate(_rn=ibis.row_number().over(w)).filter(ibis._._rn == 0).select("uscc", "period", "output_value")


def latest_monthly_output(wh, before: dt.date) -> pd.DataFrame:
    """Each enterprise's latest 工业总产值 (万元) in a period ending before ``before``, per day.

    A merged 1-2月 report covers two months: its value is divided by the days of January and February. The
    engine picks each enterprise's latest period (one row per enterprise comes back, not every report); of two
    periods ending on the same day the later code counts. Rows in order of period end, then USCC.
    """
    from yacang.periods import parse_period

    con = _con(wh)
    per = {p: parse_period(p) for p in con.table("reports").select("period").distinct().to_pandas()["period"]}
    keep = sorted((p for p, q in per.items() if q.end_date < before), key=lambda p: (per[p].end_date, p))
    if not keep:
        return pd.DataFrame(columns=["uscc", "period", "output_value", "daily_output"])
    t = latest_output_expr(con, keep)
    t = t.mutate(_o=ibis.cases(*((t.period == p, i) for i, p in enumerate(keep))))
    df = (t.group_by("uscc").aggregate(period=t.period.argmax(t._o), output_value=t.output_value.argmax(t._o),
                                       _o=t._o.max())
          .order_by(["_o", "uscc"]).select("uscc", "period", "output_value").to_pandas())
    days = {p: (q.end_date - dt.date(q.end_date.year, q.end_date.month - q.months + 1, 1)).days + 1
            for p, q in per.items()}
    df["daily_output"] = df["output_value"] / df["period"].map(days)
    return df


# scenarios ------------------------------------------------------------------------------------------
def save_scenario(wh, head: dict, daily: pd.DataFrame, enterprises: pd.DataFrame, groups: pd.DataFrame) -> str:
    """Store one scenario's results (replacing a scenario of the same id)."""
    ensure_tables(wh)
    sid = head["scenario_id"]
    head_df = pd.DataFrame([head])

    def work(db):
        for t in ("chain_scenarios", "chain_scenario_daily", "chain_scenario_enterprises", "chain_scenario_groups"):
            db.execute(f"DELETE FROM {t} WHERE scenario_id = ?", [sid])
        _insert(db, "chain_scenarios", head_df)
        _insert(db, "chain_scenario_daily", daily.assign(scenario_id=sid))
        _insert(db, "chain_scenario_enterprises", enterprises.assign(scenario_id=sid))
        _insert(db, "chain_scenario_groups", groups.assign(scenario_id=sid))

    _transaction(wh, work)
    return sid


def scenarios_expr(con: ibis.BaseBackend) -> ir.Table:
    """Stored scenarios, newest first."""
    return con.table("chain_scenarios").order_by([ibis.desc("created_at"), "scenario_id"])


def scenarios(wh) -> pd.DataFrame:
    """:func:`scenarios_expr` on the warehouse, as a frame."""
    return scenarios_expr(_con(wh)).to_pandas()


def scenario_daily(wh, sid: str) -> pd.DataFrame:
    t = _con(wh).table("chain_scenario_daily")
    return t.filter(t.scenario_id == sid).select("day", "date", "affected", "output_lost").order_by("day").to_pandas()


def scenario_enterprises_expr(con: ibis.BaseBackend, sid: str, *, region_prefix: str | None = None) -> ir.Table:
    """A scenario's enterprises (name from the registry), largest output lost first."""
    s, e = con.table("chain_scenario_enterprises"), con.table("enterprises")
    s = s.filter(s.scenario_id == sid)
    if region_prefix is not None:
        s = s.filter(s.region.startswith(region_prefix))
    j = s.left_join(e.select("uscc", "name"), "uscc")
    return j.select("uscc", "name", "region", "direct", "first_day", "min_level", "output_lost").order_by(
        [ibis.desc("output_lost"), "uscc"])


def scenario_enterprises(wh, sid: str, *, region_prefix: str | None = None) -> pd.DataFrame:
    """:func:`scenario_enterprises_expr` on the warehouse, as a frame."""
    return scenario_enterprises_expr(_con(wh), sid, region_prefix=region_prefix).to_pandas()


def scenario_groups(wh, sid: str, kind: str) -> pd.DataFrame:
    t = _con(wh).table("chain_scenario_groups")
    return (t.filter(t.scenario_id == sid, t.kind == kind).select("key", "affected", "output_lost")
            .order_by([ibis.desc("output_lost"), "key"]).to_pandas())


def compare_scenarios(wh, ids: list[str]) -> pd.DataFrame:
    """Side by side: direct stops, affected enterprises and output at risk of the given scenarios."""
    t = _con(wh).table("chain_scenarios")
    return (t.filter(t.scenario_id.isin(list(ids)))
            .select("scenario_id", "name", "kind", "start_date", "days", "n_direct", "n_affected", "output_lost",
                    "data_source").order_by([ibis.desc("output_lost"), "scenario_id"]).to_pandas())
