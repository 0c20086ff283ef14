"""The domain rules two or more services need, each written once (BRIEF: "a node never gives two
answers to one question").

Pure functions and small value types only: this package imports nothing of `services` nor of
`shared` (import-linter enforces it), so any service may import it and every rule can be read
and tested alone.
"""
