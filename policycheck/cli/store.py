"""Commands on the store itself: ``ontology``."""

from __future__ import annotations

from rich.table import Table

from policycheck import ontology, store
from policycheck.cli.common import DEFAULT_DB, DEFAULT_MAPPINGS, DbOption, MappingsOption, app, console
from policycheck.flows.detectors.privacy_interface import TABLE_FILE, InterfaceTable
from policycheck.flows.endpoints import ENDPOINTS_FILE, EndpointMap


@app.command("ontology")
def ontology_command(db: DbOption = DEFAULT_DB, mappings: MappingsOption = DEFAULT_MAPPINGS) -> None:
    """Validate mappings/ (data types, entities, features; and the endpoint knowledge and privacy-interface table
    that ingest reads, when the folder has them) and load the ontology with its closures into the store.

    Prints the number of concepts per ontology. A malformed file (unknown parent, cycle, duplicate alias,
    unknown field, a regular expression that does not compile or can backtrack exponentially) is reported as one
    line naming the file and line; the store keeps its previous ontology. Exit status 0; 2 for a malformed
    file.
    """
    onto = ontology.load(mappings)
    if (mappings / ENDPOINTS_FILE).exists():  # validated before anything is written: ingest would fail on it later
        EndpointMap.load(mappings, onto)
    if (mappings / TABLE_FILE).exists():
        InterfaceTable.load(mappings, onto)
    con = store.open_store(db, store.WRITE)
    counts = ontology.write(con, onto)  # always rewritten (not a Workspace: it exists to (re)load the ontology)
    table = Table("table", "concepts", title=f"ontology loaded from {mappings}")
    for name, n in counts.items():
        table.add_row(name, str(n))
    console.print(table)
