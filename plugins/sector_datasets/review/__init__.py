"""Review: what a gated version changes against the served one, and whether it may be served.

Runs between the gate and the serving of a version. ``diff`` compares the audit table with the
served version in the warehouse (SQL, by the contract's key); ``policy`` applies the dataset's
publish policy to that diff: publish, wait for the owner's approval, or block.
"""
