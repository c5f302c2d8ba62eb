import pytest

from yacang.auth.passwords import PasswordPolicyError, hash_password, verify_password


def test_argon2id_hash_verifies_only_the_right_password():
    h = hash_password("s3cret-pass")
    assert h.startswith("$argon2id$")
    assert "s3cret-pass" not in h
    assert verify_password(h, "s3cret-pass")
    assert not verify_password(h, "s3cret-pasS")
    assert not verify_password("not-a-hash", "s3cret-pass")


def test_two_hashes_of_one_password_differ_by_salt():
    assert hash_password("same-password") != hash_password("same-password")


def test_short_password_is_refused_in_chinese():
    with pytest.raises(PasswordPolicyError, match="至少需要8个字符"):
        hash_password("short")
