"""The use-case layer: one function per thing a user can do.

The command line (:mod:`addin.cli`), the ribbon handlers and worksheet functions
(:mod:`addin.excel`) and ``pmo demo`` call only these: each entry point parses its
input, makes one call here, and renders the result.
"""
