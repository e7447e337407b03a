"""The flow side: captured app traffic -> ``captures``, ``flows`` and ``observations``.

Data flow (one module per step): :mod:`.readers` (one per capture format) yield requests; :mod:`.endpoints`
gives each its API path, feature and recipient (``mappings/endpoints.yaml``); :mod:`.decode` (with
:mod:`.protobuf`) turns its body into leaves with field paths; :mod:`.detectors` find personal data types
in them (device profile :mod:`.profile`, key names, value patterns); :mod:`.timestamps` dates the request;
:mod:`.redact` hides every value; :mod:`.ingest` writes it all (files read in worker processes, stored by one
writer); :mod:`.overlap` finds captures that repeat one another; :mod:`.summary` answers ``policycheck flows``.
Nothing here imports the policy or claims side.
"""
