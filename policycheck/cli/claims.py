"""Commands of the claims stage: ``extract``, ``eval-claims``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.table import Table

from policycheck import ontology, store
from policycheck.claims.phenomena import PHENOMENA
from policycheck.claims.phenomena import parse as parse_phenomena
from policycheck.claims.pipeline import extract
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    check_folder,
    console,
    err_console,
    open_workspace,
    shown,
)
from policycheck.cli.progress import progress_bars
from policycheck.errors import PolicycheckError
from policycheck.events import Events
from policycheck.sizes import MESSAGE_CHARS, clip


def _check_versions(con: duckdb.DuckDBPyConnection, ids: list[int]) -> None:
    """Raise :class:`PolicycheckError` naming ``--version`` ids the store has no version of (``extract --version
    99`` once answered "no version needs extraction", as if version 99 were done)."""
    known = {r[0] for r in con.execute("select version_id from versions").fetchall()}
    missing = sorted(set(ids) - known)
    if missing:
        raise PolicycheckError("--version", f"no version {', '.join(map(str, missing))} in the store (see "
                                            "`policycheck versions`)")


@app.command("extract")
def extract_command(
    force: Annotated[bool, typer.Option("--force", help="Re-extract versions that already have claims.")] = False,
    version: Annotated[list[int] | None, typer.Option(min=1, help="Only these version ids (repeatable).")] = None,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Extract data-practice claims from every version that has none from the current extractor yet (all with
    --force): a new policy version, or one read by an older extractor version.

    English versions go through the spaCy front end, Chinese ones through the jieba front end. Blocks already
    parsed by the same extractor version come from the cache. Prints per-version blocks, sentences, skipped
    sentences and claims. Exit status 0; 2 for a --version id the store does not have (nothing extracted).
    """
    with open_workspace(db, store.WRITE, mappings) as ws, progress_bars(ws.events):
        _check_versions(ws.con, version or [])
        report = extract(ws, force=force, version_ids=version)
    table = Table("version", "blocks", "sentences", "skipped", "claims",
                  title=f"claims extracted ({report.parsed_blocks} blocks parsed, {report.cached_blocks} from cache)")
    for vid, (blocks, sentences, skipped, claims) in sorted(report.versions.items()):
        table.add_row(str(vid), str(blocks), str(sentences), str(skipped), str(claims))
    console.print(table if report.versions else "no version needs extraction (use --force to redo)")
    for where, why in report.notes:
        err_console.print(f"[yellow]skipped[/] {shown(where)}: {shown(why)}", highlight=False, soft_wrap=True)


@app.command("eval-claims")
def eval_claims_command(
    gold: Annotated[list[Path] | None, typer.Argument(help="Gold YAML files (e.g. tests/gold/claims_en.yaml).")]
    = None,
    show_errors: Annotated[bool, typer.Option("--errors", help="List each item's missed and extra tuples.")] = False,
    opp115: Annotated[Path | None, typer.Option(
        "--opp115", help="OPP-115 folder (labels.jsonl + policies/): score first-party collection on it.")] = None,
    policy: Annotated[list[str] | None, typer.Option(
        "--policy", help="With --opp115: only these policies (e.g. 1034_aol.com; repeatable).")] = None,
    disable: Annotated[list[str] | None, typer.Option(
        "--disable", metavar="PHENOMENON",
        help=f"Score with this phenomenon of the extractors switched off (repeatable): {', '.join(PHENOMENA)}.")]
    = None,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Print precision and recall of the claim extractors on hand-labelled gold items, per split.

    Measures: tuples (actor_role, action, negated, data_type); the same with context; first-party and
    third-party tuples. The versions the items refer to must be in the store (import the archives first);
    items that carry their own `text` need no store.
    With `--opp115 DIR` (OPP-115, Wilson et al., ACL 2016) it imports the folder's website policies into a
    temporary store, extracts them and prints the recall of first-party collection per OPP-115 type and the
    segment precision, as defined by the folder's README (`policycheck/claims/opp115.py`).
    With `--disable PHENOMENON` (repeatable; README "claims", ablation) the gold items are scored with that
    mechanism of the extractors switched off, to show what it contributes; an unknown name is an error (exit 2).
    A gold item's field of another name (a labeller's `note:`, a misspelt `sentense:`) is named in one warning line
    on stderr and otherwise ignored.
    Exit status 0; 2 for a gold file that cannot be read or is malformed (one line naming the file and line),
    an item whose version or OPP-115 segment cannot be found, or an unknown --disable name.
    """
    disabled = parse_phenomena(disable or [])
    onto = ontology.load(mappings)
    if opp115 is not None:
        check_folder(opp115, "--opp115", must_exist=True)
        _eval_opp115(opp115, onto, mappings, policy)
    if not gold:
        if opp115 is None:
            raise PolicycheckError(None, "give gold files, --opp115 DIR, or both")
        return
    from policycheck.claims.evaluate import evaluate, load_gold, needs_store  # imported by this command only

    items = load_gold(gold, warn=lambda line: err_console.print(
        f"[yellow]warning:[/] {shown(clip(line, MESSAGE_CHARS))}", highlight=False, soft_wrap=True))
    con = store.open_store(db, store.READ) if needs_store(items) else None
    result = evaluate(con, onto, items, disabled)
    title = "claim extraction" + (f" without {', '.join(sorted(disabled))}" if disabled else "")
    table = Table("split", "items", "measure", "precision", "recall", "tp", "fp", "fn", title=title)
    for split in sorted(result.scores, key=lambda s: (s == "all", s)):
        for measure, score in result.scores[split].items():
            table.add_row(shown(split), str(result.items[split]), measure, f"{score.precision:.3f}",
                          f"{score.recall:.3f}", str(score.tp), str(score.fp), str(score.fn))
    console.print(table)
    if show_errors:
        for outcome in result.outcomes:
            missed, extra = outcome.gold - outcome.predicted, outcome.predicted - outcome.gold
            if missed or extra:
                console.print(f"[bold]{shown(outcome.item.id)}[/] missed={shown(sorted(missed, key=str))} "
                              f"extra={shown(sorted(extra, key=str))}", highlight=False)


def _eval_opp115(folder: Path, onto: ontology.Ontology, mappings: Path, policies: list[str] | None) -> None:
    from policycheck.claims.opp115 import evaluate_opp115, load_type_map  # Beautiful Soup: for --opp115 only

    type_map = load_type_map(mappings / "opp115.yaml", onto)
    events = Events()
    with progress_bars(events):
        result = evaluate_opp115(folder, onto, type_map, policies, events=events)
    table = Table("OPP-115 type", "pairs", "found", "recall",
                  title=f"OPP-115 first-party collection ({result.policies} policies, {result.segments} segments)")
    for name in type_map.types:
        table.add_row(name, str(result.pairs[name]), str(result.hits[name]),
                      f"{result.recall(name):.3f}" if result.pairs[name] else "-")
    table.add_row("all", str(sum(result.pairs.values())), str(sum(result.hits.values())), f"{result.recall():.3f}")
    console.print(table)
    console.print(f"segment precision {result.segment_precision:.3f} ({result.claims_in_labelled} of "
                  f"{result.claims} first-party collection claims in segments with a first-party label)")
    if result.missing:
        console.print(f"no version stored for {len(result.missing)} policies (quarantined or empty): "
                      f"{', '.join(result.missing)}")
