"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.

Characters come from a 31-symbol alphabet (digits and capitals without I, O, Z, S, V); character i
(0-based) has weight 3**i mod 31, and the check value is 31 - (Σ value×weight mod 31), 31 written 0.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class UsccError(ValueError):
    """A malformed 统一社会信用代码; the message names the code and says what is wrong."""


def check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: object) -> str:
    """Return the normalised code (upper case, stripped) or raise :class:`UsccError` in Chinese."""
    s = str(code if code is not None else "").strip().upper()
    if len(s) != 18:
        raise UsccError(f"统一社会信用代码“{s}”应为18位，实为{len(s)}位")
    bad = [c for c in s if c not in _VALUE]
    if bad:
        raise UsccError(
            f"统一社会信用代码“{s}”含非法字符“{''.join(dict.fromkeys(bad))}”"
            "（只允许数字和除 I、O、Z、S、V 以外的大写字母）"
        )
    expected = check_char(s[:17])
    if s[17] != expected:
        raise UsccError(f"统一社会信用代码“{s}”校验位错误：第18位应为“{expected}”，实为“{s[17]}”，请核对代码")
    return s


def is_valid_uscc(code: object) -> bool:
    try:
        validate_uscc(code)
    except UsccError:
        return False
    return True


def make_uscc(region: str, org_code: str, *, authority: str = "9", kind: str = "1") -> str:
    """Build a valid code from its parts (for fixtures and the demo): 1+1+6+9 characters + check."""
    body = f"{authority}{kind}{region}{org_code}".upper()
    if len(body) != 17:
        raise UsccError(f"组成统一社会信用代码的前17位长度应为17，实为{len(body)}：{body}")
    return body + check_char(body)
