"""`kerjasama evaluate YEAR --interactive`: walk through the agreements not evaluated
yet, asking for each field; each answer is saved at once."""

import typer

from kerjasama_cli.cli import common
from kerjasama_cli.cli.common import open_register
from kerjasama_cli.cli.evaluation_labels import LABELS
from kerjasama_cli.errors import InvalidValue


def walk(ctx: typer.Context, year: int, unit: str | None, region: str | None) -> None:
    """Ask, agreement by agreement; save each as soon as it is answered."""
    from datetime import date

    from kerjasama_cli import vocab
    from kerjasama_cli.evaluation import (
        load_year,
        read_evaluation_fields,
        record_evaluation,
        unevaluated,
    )
    from kerjasama_cli.register import Actor

    if not common.is_interactive():
        raise typer.BadParameter("--interactive needs a terminal", param_hint="--interactive")
    register = open_register(ctx)
    from kerjasama_cli.settings import all_settings

    with register.reading() as session:
        waiting = unevaluated(load_year(session, year, region=region), unit=unit)
        evaluator = all_settings(session).get("evaluator", "")
    if not waiting:
        typer.echo(f"Every agreement in force during {year} is evaluated.")
        return
    actor = Actor.current("evaluate")
    typer.echo(
        f"{len(waiting)} agreements wait for their {year} evaluation. "
        "Enter skips a question; '-' at the level skips the agreement; 'q' stops."
    )
    done = 0
    for position, view in enumerate(waiting, start=1):
        units = ", ".join(u.name for u in view.units) or "-"
        typer.echo(
            f"\n[{position}/{len(waiting)}] {view.number}: {view.title}\n"
            f"  OPD: {units}; mitra: {', '.join(p.name for p in view.partners)}"
        )
        level = _ask_choice("Tingkat pelaksanaan", vocab.LEVELS.codes)
        if level == "q":
            break
        if level in ("", "-"):
            continue
        answers = {"level": level}
        answers["progress"] = _ask_field("progress", "Progres % (0-100)")
        answers["follow_up"] = _ask_field("follow_up", "Tindak lanjut")
        answers["obstacles"] = _ask_field("obstacles", "Kendala/permasalahan")
        answers["recommendation"] = _ask_choice("Rekomendasi", vocab.RECOMMENDATIONS.codes)
        answers["benefit"] = _ask_field("benefit", "Manfaat")
        evaluator = _ask_field("evaluator", "Evaluator", evaluator)
        answers["evaluator"] = evaluator
        given = {key: value for key, value in answers.items() if value not in ("", "q")}
        fields = read_evaluation_fields(given, LABELS)
        with register.writing() as session:
            record_evaluation(
                session,
                year,
                f"id:{view.id}",
                fields,
                actor=actor,
                defaults={"evaluated_on": date.today()},
            )
        done += 1
        typer.echo("  saved")
    typer.echo(f"\n{done} recorded; run it again to go on with the rest.")


# How many times one question is asked again after an answer it cannot take;
# then the walk stops (what was saved stays saved), as a script feeding it would loop.
ASK_AGAIN = 5


def _ask_field(name: str, question: str, default: str = "") -> str:
    """One answer, read at once as it will be recorded: a wrong one is told and the
    same question asked again (up to ASK_AGAIN times); the other answers stand."""
    from kerjasama_cli.evaluation import read_evaluation_fields

    for _ in range(ASK_AGAIN + 1):
        answer: str = typer.prompt(question, default=default, show_default=bool(default))
        if answer.strip() in ("", "q"):
            return answer.strip()
        try:
            read_evaluation_fields({name: answer}, LABELS)
        except InvalidValue as error:
            typer.echo(f"  {error.message}" + (f" ({error.hint})" if error.hint else ""))
            continue
        return answer
    raise InvalidValue(
        name,
        answer,
        f"was answered wrongly {ASK_AGAIN + 1} times in a row; stopped",
        label=LABELS.get(name, name),
        hint="what was saved before stays saved; run it again to go on",
    )


def _ask_choice(question: str, choices: list[str]) -> str:
    from kerjasama_cli import vocab

    for _ in range(ASK_AGAIN + 1):
        answer: str = typer.prompt(
            f"{question} [{'/'.join(choices)}]", default="", show_default=False
        ).strip()
        if answer in ("", "-", "q"):
            return answer
        for vocabulary in (vocab.LEVELS, vocab.RECOMMENDATIONS):
            try:
                code = vocabulary.match(answer)
            except InvalidValue:  # not this vocabulary; try the next
                continue
            if code in choices:
                return code
        typer.echo(f"  choose one of: {', '.join(choices)}")
    raise InvalidValue(
        "answer",
        answer,
        f"was answered wrongly {ASK_AGAIN + 1} times in a row; stopped",
        label=question,
        hint="what was saved before stays saved; run it again to go on",
    )
