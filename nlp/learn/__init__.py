"""Learn: the labelled corpus, training, evaluation and distilling the static encoder.

May import the shared base, :mod:`nlp.read` and :mod:`nlp.judge`; nothing later in the pipeline.
"""
