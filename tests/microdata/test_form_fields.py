"""直报 form values: a field the template does not have is refused, not silently dropped."""

from __future__ import annotations

from yacang.web.reports_service import check_form

HUAWEI = "914403001922038216"


def test_misspelt_form_field_is_refused_before_anything_else():
    values = {"output_value": "12000", "output_value_prev": "11000", "profits": "500"}  # 'profit' misspelt
    c = check_form(None, HUAWEI, "示例企业", "2022年3月", values)
    assert not c.ok and c.batch is None
    assert [(e["field"], e["reason"]) for e in c.errors] == [("profits", "表单中没有字段“profits”，请使用报表模板的字段")]
