"""The core action layer: one function per user action, called by both faces (the ``kaohe``
command and the Textual app), each returning data — rows, columns, counts and ``Note``s (a
message catalogue key with its fields: file, row, column, count …) — never text to parse.

  importing   import a file of any kind (ledger, cases, units, a plugin's roster or targets)
  recording   record, correct, withdraw; what the record form may offer (indicators, figures)
  periods     close (sign off) and reopen a period
  exporting   results, the ledger or the audit log to a file
  listing     the scheme summary (counts, the sample-title rule), unit columns, status

A face parses its input, makes one call here, and shows what comes back."""
