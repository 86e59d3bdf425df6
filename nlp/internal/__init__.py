"""Private helpers of :mod:`nlp`; their names and signatures may change without notice.

The public entry points are in :mod:`nlp.read` and :mod:`nlp.cli`.
"""
