"""统一社会信用代码 validation (GB 32100-2015), against codes published in the national registry."""

from __future__ import annotations

import pytest

from yacang.microdata.uscc import UsccError, check_char, is_valid_uscc, make_uscc, validate_uscc

# Public registrations (国家企业信用信息公示系统): 华为技术有限公司, 深圳市腾讯计算机系统有限公司,
# 中国石油化工股份有限公司.
REAL = ["914403001922038216", "9144030071526726XG", "91110000710926094P"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code


def test_wrong_check_char_names_code_and_expected():
    with pytest.raises(UsccError) as exc:
        validate_uscc("914403001922038217")
    msg = str(exc.value)
    assert "914403001922038217" in msg and "应为“6”" in msg


def test_length_and_alphabet():
    with pytest.raises(UsccError, match="应为18位"):
        validate_uscc("91440300192203821")
    with pytest.raises(UsccError, match="非法字符“I”"):
        validate_uscc("91440300I922038216")
    assert not is_valid_uscc(None)


def test_make_uscc_builds_valid_codes():
    code = make_uscc("440103", "00000001A")
    assert len(code) == 18 and is_valid_uscc(code)
    assert check_char(code[:17]) == code[17]
