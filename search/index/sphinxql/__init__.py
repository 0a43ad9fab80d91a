"""The SphinxQL backend: the index on a Manticore or Sphinx cluster.

`schema.py` the tables, `local.py` a three-node cluster on loopback for
development and tests, `writer.py` indexing, `reader.py` the queries.
"""
