"""Judge: text → embeddings → status → rubric score, expected gap and flag (cues, encoders, features, classifier, audit, model files).

May import the shared base (:mod:`nlp.errors`, :mod:`nlp.settings`, :mod:`nlp.text`) and :mod:`nlp.read`; nothing later in the pipeline.
"""
