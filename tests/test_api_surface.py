"""yacang.api: the documented examples run (on the real NBS export) and the surface stays curated."""

from __future__ import annotations

import doctest

import yacang.api as api

NBS_EXPORT = "nbs_official_export_iva_ppi/original_reconstructed"


def test_the_documented_examples_run_on_the_real_export(shared_data):
    result = doctest.testmod(api, extraglobs={"NBS": shared_data / NBS_EXPORT}, optionflags=doctest.ELLIPSIS,
                             raise_on_error=False, report=True)
    assert result.attempted >= 10 and result.failed == 0


def test_every_public_name_is_documented_and_listed():
    for name in api.__all__:
        obj = getattr(api, name)
        assert getattr(obj, "__doc__", None), f"yacang.api.{name} has no docstring"
    public = {n for n in vars(api) if not n.startswith("_") and callable(getattr(api, n))
              and getattr(getattr(api, n), "__module__", "").startswith("yacang")}
    assert public <= set(api.__all__) | {"annotations"}, public - set(api.__all__)
