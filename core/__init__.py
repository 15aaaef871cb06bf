"""Headless logic of the Numerai upload wizard.

Nothing in this package imports Textual or Rich, and the heavy libraries
(lightgbm, pandas, pyarrow) load only inside the functions that need them.
"""
