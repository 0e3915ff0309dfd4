"""The options of `kerjasama evaluate` that name an evaluation's fields: how an
error about a field names it to the person who typed it."""

LABELS = {
    "level": "--level",
    "progress": "--progress",
    "follow_up": "--follow-up",
    "obstacles": "--obstacles",
    "recommendation": "--recommendation",
    "benefit": "--benefit",
    "added_value": "--added-value",
    "evidence": "--evidence",
    "note": "--note",
    "evaluator": "--evaluator",
    "score": "--score",
    "evaluated_on": "--on",
    "goal_fit": "--goal-fit",
    "timeliness": "--timeliness",
    "partner_contribution": "--partner-contribution",
    "coordination": "--coordination",
    "indicator_attainment": "--indicators",
    "impact": "--impact",
    "document_completeness": "--documents",
    "periodic_reporting": "--reporting",
    "relevance": "--relevance",
}
