"""Asking the schema: fields allowed at a path, their documentation, and the path at a cursor."""

import gzip
import json

import pytest

from learn.podspec import schema
from learn.podspec.cli import main
from learn.podspec.fields import (
    UnknownPath,
    explain,
    fields_at,
    format_explanation,
    parse_path,
    place_in_text,
)
from learn.podspec.schemas.build import build


def by_name(path: str, kind: str = "Pod", **options) -> dict:
    return {field.name: field for field in fields_at(path, kind, **options)}


def test_paths_read_the_same_as_text_and_as_segments():
    assert parse_path("spec.containers[0].image") == ("spec", "containers", 0, "image")
    assert parse_path("spec.containers[].ports") == ("spec", "containers", "[]", "ports")
    assert fields_at("spec.containers[].ports") == fields_at(["spec", "containers", 0, "ports"])


@pytest.mark.parametrize("text", ["spec..containers", ".spec", "spec.containers[x]", "spec["])
def test_a_path_that_cannot_be_read_says_so(text):
    with pytest.raises(UnknownPath, match="cannot read the path"):
        parse_path(text)


def test_fields_of_a_container_have_their_types():
    container = by_name("spec.containers[]")
    assert container["image"].type == "string"
    assert container["ports"].type == "[]ContainerPort"
    assert container["volumeMounts"].type == "[]VolumeMount"
    assert container["resources"].type == "ResourceRequirements"
    assert container["name"].required
    assert not container["image"].required


def test_a_list_field_name_leads_to_the_fields_of_its_items_as_in_kubectl():
    assert fields_at("spec.containers") == fields_at("spec.containers[]")
    assert "containerPort" in by_name("spec.containers.ports")


def test_restart_policy_of_a_pod_lists_its_values():
    assert by_name("spec")["restartPolicy"].enum == ("Always", "OnFailure", "Never")
    assert explain("spec.restartPolicy").field.enum == ("Always", "OnFailure", "Never")


def test_values_are_only_offered_where_the_engine_checks_them():
    # HTTPGetAction has a `protocol` too, but not the TCP/UDP/SCTP of a container port.
    assert by_name("spec.containers[].ports")["protocol"].enum == ("TCP", "UDP", "SCTP")
    assert explain("spec.containers[].livenessProbe.httpGet.protocol").field.enum == ()


def test_labels_are_a_map_of_strings_with_any_key():
    labels = explain("metadata.labels")
    assert labels.field.type == "map[string]string"
    assert labels.fields == ()
    assert explain(["metadata", "labels", "app.kubernetes.io/name"]).field.type == "string"


def test_quantities_and_anonymous_objects_have_their_names():
    assert by_name("spec.containers[].resources")["limits"].type == "map[string]Quantity"
    assert by_name("spec")["overhead"].type == "map[string]Quantity"
    assert by_name("spec.containers[].livenessProbe.httpGet")["port"].type == "IntOrString"


def test_explain_gives_the_description_from_the_real_schema():
    image = explain("spec.containers.image")
    assert image.field.description.startswith("Container image name.")
    text = format_explanation(image)
    assert "FIELD:    spec.containers.image <string>" in text
    assert "Container image name." in text


def test_explain_of_a_kind_lists_its_top_level_fields():
    deployment = explain("", "deployment")
    assert (deployment.kind, deployment.api_version) == ("Deployment", "apps/v1")
    assert [f.name for f in deployment.fields] == [
        "apiVersion",
        "kind",
        "metadata",
        "spec",
        "status",
    ]


def test_a_recursive_explanation_is_a_tree_that_stops_at_cycles():
    probe = explain("spec.containers.livenessProbe", recursive=True)
    assert (2, "path") in [(depth, field.name) for depth, field in probe.tree]
    assert "    path <string>" in format_explanation(probe).splitlines()
    # JSONSchemaProps holds JSONSchemaProps: the tree ends instead of recursing forever.
    schema_tree = explain(
        "spec.versions.schema.openAPIV3Schema", "CustomResourceDefinition", recursive=True
    ).tree
    assert [f.name for depth, f in schema_tree if depth == 1].count("allOf") == 1
    assert [f.name for depth, f in schema_tree if depth > 1].count("allOf") == 0


@pytest.mark.parametrize(
    ("path", "segment", "suggestion"),
    [
        ("spec.containers[].imagee", "imagee", "image"),
        ("spec.Containers", "Containers", "containers"),
        ("metdata.name", "metdata", "metadata"),
    ],
)
def test_an_unknown_segment_is_named_with_a_close_match(path, segment, suggestion):
    with pytest.raises(UnknownPath) as error:
        explain(path)
    assert (error.value.segment, error.value.suggestion) == (segment, suggestion)
    assert f"`{segment}`" in str(error.value)
    assert f"did you mean `{suggestion}`?" in str(error.value)


def test_a_path_below_text_or_an_index_into_a_mapping_is_explained():
    with pytest.raises(UnknownPath, match="is a `string` and has no field `foo`"):
        fields_at("spec.containers.image.foo")
    with pytest.raises(UnknownPath, match="not a list"):
        fields_at("spec[0]")


def test_an_unknown_kind_gets_a_suggestion():
    with pytest.raises(UnknownPath, match="did you mean `Deployment`"):
        explain("", "Deploymnet")


@pytest.mark.parametrize("version", schema.VERSIONS)
def test_each_shipped_version_loads_with_descriptions(version):
    container = by_name("spec.containers[]", kubernetes_version=version)
    assert container["image"].description
    assert explain("", "Pod", kubernetes_version=version).kubernetes_version == version


def test_fields_follow_the_chosen_version():
    http_get = "spec.containers[].livenessProbe.httpGet"
    assert "protocol" not in by_name(http_get, kubernetes_version="1.34")
    assert "protocol" in by_name(http_get, kubernetes_version="1.37")


@pytest.mark.parametrize("version", schema.VERSIONS)
def test_the_shipped_bundles_are_what_the_build_makes(version):
    shipped = json.loads(gzip.decompress((schema.SCHEMA_DIR / f"v{version}.json.gz").read_bytes()))
    assert shipped == build(version)


def test_the_explain_command_prints_the_documentation(capsys):
    assert main(["explain", "Pod", "spec.containers.image", "--version", "1.35"]) == 0
    out = capsys.readouterr().out
    assert "Kubernetes 1.35" in out
    assert "Container image name." in out


def test_the_explain_command_reads_a_kubectl_style_path(capsys):
    assert main(["explain", "pod.spec.containers.ports", "--recursive"]) == 0
    assert "  containerPort <integer> -required-" in capsys.readouterr().out.splitlines()


def test_the_explain_command_fails_on_an_unknown_field(capsys):
    assert main(["explain", "Pod", "spec.containers.imagee"]) == 1
    assert "did you mean `image`?" in capsys.readouterr().err


POD = """\
apiVersion: v1
kind: Pod
metadata:
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80

  restartPolicy: Always
---
apiVersion: apps/v1
kind: Deployment
"""


@pytest.mark.parametrize(
    ("line", "column", "path", "key"),
    [
        (1, 3, (), "apiVersion"),
        (5, 5, ("metadata", "labels"), "app"),
        (5, 10, ("metadata", "labels", "app"), None),
        (9, 6, ("spec", "containers", 0), "image"),
        (9, 13, ("spec", "containers", 0, "image"), None),
        (11, 7, ("spec", "containers", 0, "ports", 0), "containerPort"),
        (12, 5, ("spec", "containers", 0), ""),  # a fresh line at a container's indentation
        (12, 3, ("spec",), ""),  # ... and at the pod spec's
        (13, 18, ("spec", "restartPolicy"), None),
    ],
)
def test_the_place_of_a_cursor_is_a_schema_path(line, column, path, key):
    place = place_in_text(POD, line, column)
    assert (place.document, place.kind, place.api_version) == (0, "Pod", "v1")
    assert (place.path, place.key) == (path, key)


def test_the_place_knows_its_document():
    place = place_in_text(POD, 16, 3)
    assert (place.document, place.kind, place.path, place.key) == (1, "Deployment", (), "kind")


def test_a_field_name_without_its_colon_yet_is_a_key():
    typing = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imag"
    place = place_in_text(typing, 6, 9)
    assert (place.path, place.key) == (("spec", "containers", 0), "imag")
    assert "image" in {f.name for f in fields_at(place.path, place.kind)}
    below_its_key = place_in_text("apiVersion: v1\nkind: Pod\nspec:\n  cont", 4, 7)
    assert (below_its_key.path, below_its_key.key) == (("spec",), "cont")


def test_no_place_before_the_first_document():
    assert place_in_text("\n\napiVersion: v1\nkind: Pod\n", 1, 1) is None


@pytest.mark.parametrize("segment", [None, 1.5, True, ("spec",)])
def test_a_path_segment_that_is_neither_a_name_nor_an_index_is_refused(segment):
    with pytest.raises(UnknownPath, match="a path segment is a field name or an index"):
        fields_at(["spec", segment], "Pod")
