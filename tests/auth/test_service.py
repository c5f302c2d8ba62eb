"""Users, login throttling, sessions and API tokens against a migrated SQLite database."""

from __future__ import annotations

import datetime as dt

import pytest

from yacang.auth import audit, service
from yacang.auth.models import utcnow
from yacang.microdata.uscc import make_uscc

PW = "long-password-1"


def test_add_user_checks_role_region_and_uscc(session):
    u = service.add_user(session, "gd", PW, "officer", region="440000")
    assert u.region == "440000" and u.password_hash.startswith("$argon2id$")
    with pytest.raises(service.AuthError, match="未知角色"):
        service.add_user(session, "x1", PW, "boss")
    with pytest.raises(service.AuthError, match="6位数字"):
        service.add_user(session, "x2", PW, "officer", region="4400")
    with pytest.raises(service.AuthError, match="必须指定统一社会信用代码"):
        service.add_user(session, "x3", PW, "enterprise", region="440106")
    with pytest.raises(service.AuthError):
        service.add_user(session, "x4", PW, "enterprise", region="440106", uscc="91440106MA59ABC019")  # bad check char
    with pytest.raises(service.AuthError, match="已存在"):
        service.add_user(session, "gd", PW, "analyst", region="440000")
    ent = service.add_user(session, "ent", PW, "enterprise", region="440106", uscc=make_uscc("440106", "MA59ABC01"))
    assert service.scope_of(ent).uscc == ent.uscc


def test_admin_region_is_the_nation(session):
    assert service.add_user(session, "root", PW, "admin", region="440000").region == "100000"


def test_login_backoff_per_account_and_address_doubles_and_spares_the_real_user(session):
    service.add_user(session, "gd", PW, "officer", region="440000")
    service.add_user(session, "js", PW, "officer", region="320000")
    t0 = dt.datetime(2024, 1, 1, 9, 0)
    for i in range(5):
        with pytest.raises(service.BadCredentials):
            service.authenticate(session, "gd", "wrong", ip="10.0.0.1", now=t0 + dt.timedelta(seconds=i))
    last = t0 + dt.timedelta(seconds=4)
    # 5 failures: the attacker's address waits 1 minute (2**0) after the last failure …
    with pytest.raises(service.LoginThrottled, match="秒后再试"):
        service.authenticate(session, "gd", PW, ip="10.0.0.1", now=last + dt.timedelta(seconds=30))
    # … while the real user, from their own address, logs in at once (no lockout DoS)
    assert service.authenticate(session, "gd", PW, ip="10.9.9.9", now=last + dt.timedelta(seconds=31)).username == "gd"
    assert service.authenticate(session, "js", PW, ip="10.0.0.2", now=last).username == "js"
    # a sixth failure after the wait doubles it: 2 minutes
    t6 = last + dt.timedelta(minutes=1, seconds=1)
    with pytest.raises(service.BadCredentials):
        service.authenticate(session, "gd", "wrong", ip="10.0.0.1", now=t6)
    with pytest.raises(service.LoginThrottled, match="1分钟后再试"):
        service.authenticate(session, "gd", PW, ip="10.0.0.1", now=t6 + dt.timedelta(seconds=50))
    assert service.authenticate(session, "gd", PW, ip="10.0.0.1", now=t6 + dt.timedelta(minutes=2, seconds=1))


def test_password_spraying_from_one_address_is_throttled(session):
    for i in range(21):
        service.add_user(session, f"u{i}", PW, "analyst", region="440000")
    t0 = dt.datetime(2024, 1, 1, 9, 0)
    for i in range(20):
        with pytest.raises(service.BadCredentials):
            service.authenticate(session, f"u{i}", "wrong", ip="6.6.6.6", now=t0 + dt.timedelta(seconds=i))
    with pytest.raises(service.LoginThrottled):
        service.authenticate(session, "u20", PW, ip="6.6.6.6", now=t0 + dt.timedelta(minutes=1))
    assert service.authenticate(session, "u20", PW, ip="10.0.0.5", now=t0 + dt.timedelta(minutes=1))


def test_password_change_ends_other_sessions_and_revokes_tokens(session):
    u = service.add_user(session, "gd", PW, "officer", region="440000")
    here, other = service.open_session(session, u), service.open_session(session, u)
    token = service.create_token(session, u, "script")
    with pytest.raises(service.BadCredentials):
        service.change_password(session, u, "not-the-old-one", "brand-new-pass-1")
    service.change_password(session, u, PW, "brand-new-pass-1", keep_session=here.token)
    assert service.session_user(session, here.token) is not None
    assert service.session_user(session, other.token) is None
    assert service.token_user(session, token) is None
    assert service.authenticate(session, "gd", "brand-new-pass-1").username == "gd"


def test_tokens_expire_have_scope_and_are_listed_and_revoked(session):
    u = service.add_user(session, "gd", PW, "officer", region="440000")
    t0 = utcnow()
    tok = service.create_token(session, u, "nightly", scope="read", ttl=dt.timedelta(days=1), now=t0)
    user, row = service.token_lookup(session, tok, now=t0 + dt.timedelta(hours=23))
    assert user.username == "gd" and row.scope == "read"
    assert service.token_lookup(session, tok, now=t0 + dt.timedelta(days=1, seconds=1)) is None
    listed = service.list_tokens(session, u)
    assert [(t.name, name) for t, name in listed] == [("nightly", "gd")]
    other = service.add_user(session, "js", PW, "officer", region="320000")
    with pytest.raises(service.AuthError):
        service.revoke_token(session, row.id, owner=other)  # not theirs
    service.revoke_token(session, row.id, owner=u)
    assert service.token_lookup(session, tok, now=t0) is None
    with pytest.raises(service.AuthError):
        service.create_token(session, u, "x", scope="admin")


def test_unknown_user_and_disabled_user_fail_alike(session):
    service.add_user(session, "gd", PW, "officer", region="440000")
    with pytest.raises(service.BadCredentials, match="用户名或密码错误"):
        service.authenticate(session, "nobody", PW)
    service.set_active(session, "gd", False)
    with pytest.raises(service.BadCredentials):
        service.authenticate(session, "gd", PW)


def test_session_token_is_stored_hashed_and_expires(session):
    from yacang.auth.models import WebSession

    u = service.add_user(session, "gd", PW, "officer", region="440000")
    t0 = utcnow()
    new = service.open_session(session, u, now=t0)
    stored = session.query(WebSession).one()
    assert stored.token_hash != new.token and len(stored.token_hash) == 64
    assert service.session_user(session, new.token, now=t0)[0].username == "gd"
    assert service.session_user(session, new.token, now=t0 + service.SESSION_TTL + dt.timedelta(seconds=1)) is None
    assert service.session_user(session, "forged") is None
    service.close_session(session, new.token)
    assert service.session_user(session, new.token, now=t0) is None


def test_disabling_ends_sessions_and_revokes_tokens(session):
    u = service.add_user(session, "gd", PW, "officer", region="440000")
    new = service.open_session(session, u)
    token = service.create_token(session, u, "script")
    assert token.startswith("yct_") and service.token_user(session, token).username == "gd"
    service.set_active(session, "gd", False)
    assert service.session_user(session, new.token) is None
    assert service.token_user(session, token) is None
    assert service.token_user(session, "yct_unknown") is None


def test_audit_log_records_and_lists_newest_first(session):
    audit.record(session, "login", username="gd", ip="10.0.0.1")
    audit.record(session, "upload", username="gd", target="月报.csv", detail={"errors": 3})
    events = audit.events(session)
    assert [e.action for e in events] == ["upload", "login"]
    assert '"errors": 3' in events[0].detail
    assert [e.action for e in audit.events(session, action="login")] == ["login"]
