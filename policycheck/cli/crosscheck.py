"""Commands that check policy texts against each other: ``contradictions`` (inside one version) and ``compare``
(two documents, languages or versions)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from policycheck import store
from policycheck.cli import output
from policycheck.cli.common import DEFAULT_DB, DbOption, app, console
from policycheck.cli.gaps import DEFAULT_MODE_OPTION, ModeOption, _split
from policycheck.gaps import compare as compare_mod
from policycheck.gaps import contradictions as contradictions_mod
from policycheck.isodate import optional_date
from policycheck.reports.write import to_json

VersionAsOf = Annotated[str | None, typer.Option(
    "--as-of", help="Use the version of each document in force on this date (YYYY-MM-DD); default: the latest.")]
KIND_STYLE = {"logical": "bold red", "narrowing": "yellow"}
CLASS_STYLE = {"denied": "bold red", "excluded": "magenta", "absent": "dark_orange", "narrower": "yellow",
               "broader": "cyan", "same": "green"}
# the positive statement's feature relative to the denial's (contradictions.sql)
FEATURE_RELATION = {"same": "same", "narrower": "within the denied one", "broader": "denied only in part of it"}
COMPARE_COLUMNS = ("side", "party", "action", "data_type", "context", "recipient", "class", "claim_ids",
                   "deciding_ids", "root_term_ids", "sentence", "other_sentence")
SENTENCE = 160  # characters of a sentence shown in a table cell (JSON and CSV carry it whole)


def _short(text: str | None, limit: int = SENTENCE) -> str:
    """Policy text for a rich table cell: one line, at most ``limit`` characters, markup escaped."""
    text = " ".join((text or "").split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _clause(section: str | None, sentence: str | None) -> str:
    """The clause a sentence is in (last part of its section path), unless the sentence starts with it."""
    clause = (section or "").split(" > ")[-1]
    return "" if (sentence or "").startswith(clause) else f"[bold]{escape(clause)}[/] "


@app.command("contradictions")
def contradictions_command(
    document: Annotated[str | None, typer.Argument(
        help="Document id (wechat-privacy-policy-en), policy id (all its languages) or DOC@YYYY-MM-DD; "
             "default: every document.")] = None,
    version: Annotated[int | None, typer.Option("--version", min=1, help="This version id only.")] = None,
    as_of: VersionAsOf = None,
    mode: ModeOption = DEFAULT_MODE_OPTION,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only logical contradictions or narrowing definitions (repeatable or comma-separated).")] = None,
    output_format: output.FormatOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List statements of one policy version that contradict each other (after PolicyLint, USENIX Security 2019).

    A positive statement (a party collects, uses, retains, processes or shares data, or receives it through a
    share) against an unconditional denial of receipt (a negated collect, or a negated share/transfer to a party)
    whose party and data type are equal or subsume each other, in overlapping features. Types C1-C5 are logical
    contradictions, N1-N4 narrowing definitions (README "Contradictions"); a C type whose denial covers only a
    narrower feature is a narrowing. Default: the latest version of every document, intermediate mode (root-term
    statements set aside, except a denial about a feature). --format table shows one row per pair of sentences;
    csv, json and markdown one row per pair of claims (default: table on a terminal, csv when piped). Exit 0; 2
    for an unknown document, version, mode or kind.
    """
    con = store.open_store(db, store.READ)
    versions, rows = contradictions_mod.contradictions(con, document, version, optional_date(as_of, "--as-of"),
                                                       mode.value, _split(kind))

    def pairs_table() -> Table:
        pairs = contradictions_mod.sentence_pairs(rows)
        logical = sum(p["kind"] == "logical" for p in pairs)
        table = output.table(["kind", "version", "positive statement", "negative statement", "positive feature"],
                             title=f"{len(pairs)} contradicting sentence pairs ({logical} logical) in "
                                   f"{', '.join(v.label() for v in versions)}; {mode.value} mode")
        table.show_lines = True
        for p in pairs:
            table.add_row(f"[{KIND_STYLE[p['kind']]}]{p['kind']}[/] {p['type']}", f"v{p['version_id']}",
                          _side(p, "positive"), _side(p, "negative"), FEATURE_RELATION[p["feature_relation"]])
        return table

    output.emit(rows, contradictions_mod.COLUMNS, output_format, rich_table=pairs_table)


def _side(pair: dict[str, Any], side: str) -> str:
    contexts = [c for c in pair[f"{side}_contexts"] if c]
    where = f" in {', '.join(contexts)}" if contexts else ""
    return (f"{_clause(pair[f'{side}_section'], pair[f'{side}_sentence'])}{pair[f'{side}_party']}: "
            f"{', '.join(pair[f'{side}_data_types'])}{where}\n{_short(pair[f'{side}_sentence'])}")


@app.command("compare")
def compare_command(
    doc_a: Annotated[str, typer.Argument(help="Side A: document id, policy id, DOC@YYYY-MM-DD or version id.")],
    doc_b: Annotated[str, typer.Argument(help="Side B: the same forms.")],
    as_of: VersionAsOf = None,
    mode: ModeOption = DEFAULT_MODE_OPTION,
    feature: Annotated[list[str] | None, typer.Option(help="Only practices in this feature or its sub-features "
                                                           "(repeatable or comma-separated).")] = None,
    disclosure: Annotated[list[str] | None, typer.Option(
        "--class", help="Only these classes: " + ", ".join(compare_mod.CLASSES))] = None,
    output_format: output.FormatOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Compare the practices two policy texts state: two documents (the WeChat policy and the Weixin guidelines),
    two languages of one document, or two versions.

    Claims are aligned on ontology ids (party, action, data type, feature, recipient; each document's own "we" as
    the first party). Every practice of one side is classed by how the other side states it: excluded (the other
    side takes its feature out of its scope), same, denied, broader (only in broader terms), narrower (only part
    of it) or absent; the sentences of both sides are shown. Without --feature, the table is preceded by a summary
    per feature either side takes out of its scope; csv and markdown give one row per practice with both first
    sentences, json the versions, rows, per-feature counts and cited claims (default: table on a terminal, csv
    when piped). Exit 0; 2 for an unknown document, version, feature or class.
    """
    con = store.open_store(db, store.READ)
    result = compare_mod.compare(con, doc_a, doc_b, optional_date(as_of, "--as-of"), mode.value, _split(feature),
                                 _split(disclosure))
    chosen = output.resolve(output_format)
    if chosen is output.Format.json:
        sys.stdout.write(to_json({"a": [asdict(v) for v in result.a], "b": [asdict(v) for v in result.b],
                                  "mode": result.mode, "features": result.features, "rows": result.rows,
                                  "claims": {str(k): v for k, v in result.claims.items()}}) + "\n")
        return
    if chosen is not output.Format.table:
        records = [r | {"sentence": _first_sentence(result, r["claim_ids"]),
                        "other_sentence": _first_sentence(result, r["deciding_ids"])} for r in result.rows]
        output.emit(records, COMPARE_COLUMNS, chosen)
        return
    names = {"a": ", ".join(v.label() for v in result.a), "b": ", ".join(v.label() for v in result.b)}
    if result.features:
        summary = output.table(["feature", "excluded by", *(f"A in B: {c}" for c in compare_mod.CLASSES[:3]),
                                *(f"B in A: {c}" for c in compare_mod.CLASSES[:3]), "practices"],
                               title=f"Features taken out of scope (A = {names['a']}; B = {names['b']})")
        for f in result.features:
            summary.add_row(f["feature"], ", ".join(f"v{v}" for v in f["excluded_by_versions"]),
                            *(str(f["counts"]["a"][c]) for c in compare_mod.CLASSES[:3]),
                            *(str(f["counts"]["b"][c]) for c in compare_mod.CLASSES[:3]), str(f["practices"]))
        console.print(summary)
    for side, other in (("a", "b"), ("b", "a")):
        rows = [r for r in result.rows if r["side"] == side]
        table = output.table(["in " + other.upper(), "practice of " + side.upper(), f"{side.upper()} says",
                              f"{other.upper()} says"],
                             title=f"{len(rows)} practices of {side.upper()} ({names[side]}) as {other.upper()} "
                                   f"({names[other]}) states them; {result.mode} mode")
        table.show_lines = True
        for r in rows:
            table.add_row(f"[{CLASS_STYLE[r['class']]}]{r['class']}[/]", practice_text(r),
                          _quote(result, r["claim_ids"]), _quote(result, r["deciding_ids"]))
        console.print(table)


def practice_text(row: dict[str, Any]) -> str:
    """``first_party collect mini_program_usage in mini_programs`` (``-> recipient`` for a share)."""
    text = f"{row['party']} {row['action']} {row['data_type']}"
    if row["recipient"]:
        text += f" -> {row['recipient']}"
    return text + (f" in {row['context']}" if row["context"] else "")


def _first_sentence(result: compare_mod.Comparison, ids: list[int]) -> str:
    return result.claims[ids[0]]["sentence"] if ids and ids[0] in result.claims else ""


def _quote(result: compare_mod.Comparison, ids: list[int]) -> str:
    if not ids:
        return ""
    claim = result.claims[ids[0]]
    more = f" (+{len(ids) - 1} claims)" if len(ids) > 1 else ""
    return f"{_clause(claim['section_path'], claim['sentence'])}{_short(claim['sentence'])}{more}"
