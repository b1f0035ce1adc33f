"""Evidence handling for Dossier: hashing, content-addressed storage, upload validation,
packet assembly, bundles and signatures.

A pure library: nothing here imports the web application or the database, so the same code
runs in request handlers, job workers, the CLI and the benchmarks.
"""
