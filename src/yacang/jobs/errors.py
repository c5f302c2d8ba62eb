"""Errors of the jobs, in Chinese, saying what to do."""


class JobError(RuntimeError):
    """A job that cannot go on."""
