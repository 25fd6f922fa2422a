"""Speed guarantees of the engine, counted in calls (the same on a busy machine and an idle one)."""

import yaml

from learn.bench import many_containers
from learn.podspec import check, schema, source
from learn.podspec.layout import layout
from learn.podspec.source import Mapping, parse
from tests.support import calls_made


def events(text: str) -> int:
    """How many events libyaml makes of the text: the least work any reading of it costs."""
    parser = yaml.CSafeLoader(text)
    count = 0
    while parser.get_event() is not None:
        count += 1
    parser.dispose()
    return count


def test_reading_yaml_costs_a_few_calls_per_event():
    # libyaml's events cost about three calls each by themselves; the tree of nodes was built at
    # 8.7 calls an event when each node was attached by a call of its own, 6.5 now.
    text = many_containers(120)
    parse(text)
    _, work = calls_made(lambda: parse(text))
    assert work < 7 * events(text)


def test_checking_the_schema_costs_a_few_calls_per_event():
    # 5.8 calls an event when every text value was typed before its field's type was looked at,
    # 4.4 now that text where text is wanted is passed at once.
    text = many_containers(120)
    (document,), _ = parse(text)
    schemas = schema.load(schema.DEFAULT_VERSION)
    definition = schemas.definition_for("v1", "Pod")
    assert definition is not None
    assert isinstance(document.root, Mapping)
    _, work = calls_made(lambda: schema.validate(document.root, schemas, definition, 0))
    assert work < 5 * events(text)


def test_only_scalars_that_may_not_be_text_go_to_the_yaml_resolver(monkeypatch):
    asked: list[str] = []
    resolve = source._RESOLVER.resolve

    def counting(kind, value, implicit):
        asked.append(value)
        return resolve(kind, value, implicit)

    source._resolve.cache_clear()
    monkeypatch.setattr(source._RESOLVER, "resolve", counting)
    report = check(many_containers(3))
    assert report.ok
    # Names, images, paths and kinds are text at once; numbers and quantities are resolved, and
    # so is the key `name`, which starts as `no` and `null` do.
    assert sorted(set(asked)) == ["10m", "16Mi", "8000", "8001", "8002", "name"]
    source._resolve.cache_clear()  # nothing resolved through the counting resolver is kept


def test_a_check_costs_a_bounded_number_of_calls_per_container():
    # 833 calls a container (with its port, mount and resources) before the walker, the reader,
    # the model and the resource rules were trimmed; 628 now.
    text = many_containers(120)
    check(text)
    report, work = calls_made(lambda: check(text))
    assert report.ok
    assert work < 680 * 120


def test_laying_out_a_pod_costs_a_bounded_number_of_calls_per_container():
    # Each container mounts the one volume, so 30 labels share the lanes. 358 calls a container
    # when each label's search walked its lane's free stretches from the left edge and a band's
    # stretches took a max() per line; 184 now that the search starts at the label's line.
    report = check(many_containers(30))
    (workload,) = report.workloads
    layout(workload, report.diagnostics)
    _, work = calls_made(lambda: layout(workload, report.diagnostics))
    assert work < 210 * 30


def test_a_pods_effective_request_costs_a_few_calls_per_container():
    # 25 calls a container when each request was added to the total as a Fraction (reduced at
    # every step), 15 now that requests in one unit are added as integers.
    report = check(many_containers(30))
    (workload,) = report.workloads
    requests, work = calls_made(workload.pod.effective_requests)
    assert requests == {"cpu": "300m", "memory": "480Mi"}
    assert work < 18 * 30
