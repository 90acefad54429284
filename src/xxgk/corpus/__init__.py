"""The corpus: many reports of many agencies and years, read once and kept, and what needs more than one.

Layers, so that reading and checking never import Django:
- the core (this package's modules except `store`): plain records of stored reports (`records`),
  agency names (`agencies`), finding fingerprints (`fingerprint`), the changes between two versions
  of one report (`changes`), text similarity (`similarity`), the cross-report rules (`crossrules`),
  the summary arithmetic (`summary`) and the worker that reads and checks one file (`ingest`);
- the store (`xxgk.corpus.store`, a Django app, label `xxgk_corpus`, in the ledger's database), which
  turns rows into the core's records and back.
"""
