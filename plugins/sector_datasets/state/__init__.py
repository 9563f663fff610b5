"""The platform's own state, one owner:

Its warehouse tables (:mod:`.tables`), where every file lives (:mod:`.layout`), which version is
published and served (:mod:`.versions`), and the run event log (:mod:`.runlog`).
"""
