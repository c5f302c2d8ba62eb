"""Jobs that string the modules together: ``yacang run`` (the main job)."""
