"""Development harnesses (not part of the runtime package): the scale-out cluster runner and warehouse comparators, imported by tests and bench."""
