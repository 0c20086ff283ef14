"""Test infrastructure shared by every service's tests: real servers started for a test run.

Nothing here is imported by production code.
"""
