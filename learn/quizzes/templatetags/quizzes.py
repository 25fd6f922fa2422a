"""Template filters for quiz feedback."""

from django import template
from django.utils.safestring import SafeString

from learn.playground.templatetags.podspec import problem_list
from learn.podspec.diagnostics import Diagnostic, Report, Severity

register = template.Library()


@register.filter
def spec_problems(problems: tuple[dict, ...]) -> SafeString:
    """A written spec's errors, as stored with its feedback, in the playground's problem list."""
    report = Report(text="", kubernetes_version="", profile="")
    for problem in problems:
        report.add(Diagnostic(**{**problem, "severity": Severity(problem["severity"])}))
    return problem_list(report, editor="")
