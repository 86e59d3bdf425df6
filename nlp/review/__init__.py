"""Review: the auditor's review queue, the label store, label quality and retrain-and-compare.

May import every earlier stage (base, read, judge, learn, outputs); never batch, web or CLI.
"""
