"""The monthly bulletin (按月通报): data model, narrative, providers, charts and the four formats.

Entry points: :func:`yacang.report.bulletin.build_bulletin` and :func:`~yacang.report.bulletin.write_bulletin`.
"""
