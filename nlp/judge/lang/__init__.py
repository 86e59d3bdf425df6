"""spaCy language data written for biyelelt.

Only Mongolian (:mod:`nlp.judge.lang.mn`) for now. Importing the subpackage registers
the language, so ``spacy.blank("mn")`` works after ``import nlp.judge.lang.mn``.
"""
