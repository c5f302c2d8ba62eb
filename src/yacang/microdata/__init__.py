"""Enterprise microdata: registry, monthly reports, review (审核), same-caliber aggregation."""
