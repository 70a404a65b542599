"""Helpers of the reliability tests: bad files made on the fly, and the table of docs/reliability.md."""
