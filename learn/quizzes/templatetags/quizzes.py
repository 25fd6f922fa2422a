"""Template filters for quiz feedback."""

from django import template
from django.utils.safestring import SafeString

from learn.playground.templatetags.podspec import problem_list, problems_data
from learn.podspec.diagnostics import Diagnostic, Report, Severity

register = template.Library()


def _report(problems: tuple[dict, ...]) -> Report:
    """A written spec's errors, as stored with its feedback, gathered in a report again."""
    report = Report(text="", kubernetes_version="", profile="")
    for problem in problems:
        report.add(Diagnostic(**{**problem, "severity": Severity(problem["severity"])}))
    return report


@register.filter
def spec_problems(problems: tuple[dict, ...], editor: str = "") -> SafeString:
    """The errors in the playground's problem list, each line a link to it in the editor `editor`."""
    return problem_list(_report(problems), editor=editor)


@register.filter
def spec_problems_data(problems: tuple[dict, ...]) -> list[dict]:
    """The errors as the editor underlines them in the answer (for `json_script`)."""
    return problems_data(_report(problems))
