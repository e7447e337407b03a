"""Commands of the claims stage: ``extract``, ``eval-claims``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from policycheck import ontology, store
from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.claims.pipeline import extract
from policycheck.cli.common import DEFAULT_DB, DEFAULT_MAPPINGS, DbOption, MappingsOption, app, console, err_console


@app.command("extract")
def extract_command(
    force: Annotated[bool, typer.Option("--force", help="Re-extract versions that already have claims.")] = False,
    version: Annotated[list[int] | None, typer.Option(help="Only these version ids (repeatable).")] = None,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Extract data-practice claims from every version that has none from the current extractor yet (all with
    --force): a new policy version, or one read by an older extractor version.

    English versions go through the spaCy front end, Chinese ones through the jieba front end. Blocks already
    parsed by the same extractor version come from the cache. Prints per-version blocks, sentences, skipped
    sentences and claims.
    """
    onto = ontology.load(mappings)
    con = store.open_store(db, store.WRITE)
    ontology.ensure_written(con, onto)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("extracting", total=None)

        def update(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        report = extract(con, onto, force=force, version_ids=version, progress=update)
    table = Table("version", "blocks", "sentences", "skipped", "claims",
                  title=f"claims extracted ({report.parsed_blocks} blocks parsed, {report.cached_blocks} from cache)")
    for vid, (blocks, sentences, skipped, claims) in sorted(report.versions.items()):
        table.add_row(str(vid), str(blocks), str(sentences), str(skipped), str(claims))
    console.print(table if report.versions else "no version needs extraction (use --force to redo)")


@app.command("eval-claims")
def eval_claims_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold YAML files (e.g. tests/gold/claims_en.yaml).")],
    show_errors: Annotated[bool, typer.Option("--errors", help="List each item's missed and extra tuples.")] = False,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Print precision and recall of the claim extractors on hand-labelled gold items, per split.

    Measures: tuples (actor_role, action, negated, data_type); the same with context; first-party and
    third-party tuples. The versions the items refer to must be in the store (import the archives first).
    """
    onto = ontology.load(mappings)
    con = store.open_store(db, store.READ)
    result = evaluate(con, onto, load_gold(gold))
    table = Table("split", "items", "measure", "precision", "recall", "tp", "fp", "fn", title="claim extraction")
    for split in sorted(result.scores, key=lambda s: (s == "all", s)):
        for measure, score in result.scores[split].items():
            table.add_row(split, str(result.items[split]), measure, f"{score.precision:.3f}", f"{score.recall:.3f}",
                          str(score.tp), str(score.fp), str(score.fn))
    console.print(table)
    if show_errors:
        for outcome in result.outcomes:
            missed, extra = outcome.gold - outcome.predicted, outcome.predicted - outcome.gold
            if missed or extra:
                console.print(f"[bold]{outcome.item.id}[/] missed={sorted(missed, key=str)} "
                              f"extra={sorted(extra, key=str)}", highlight=False)
