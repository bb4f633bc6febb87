"""Reads a model's log folder (log/<MODEL>) as TensorBoard's HParams dashboard does: the
multiplexer over every run, each run folder's session start and end parsed by the hparams plugin's
own metadata functions, then the plugin's experiment and session groups (what its table and
parallel-coordinates view show). Checks that every run folder (a folder with flags.json) is one
session, started once, whose hparams are its flags.json's flags (each optimizer argument its own),
that it ended with STATUS_SUCCESS, and that its validation metric is a metric of the session with
the last value of epochs.csv. Exits non-zero on any difference."""
import csv
import json
import os
import sys

from tensorboard import context
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from tensorboard.plugins.hparams import api_pb2, backend_context, get_experiment, list_session_groups, metadata

logdir, expected_runs = sys.argv[1], int(sys.argv[2])
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def flags_as_hparams(run):
    """flags.json's flags, the optimizer's arguments each a flag of its own."""
    with open(os.path.join(logdir, run, "flags.json")) as f:
        flags = json.load(f)["flags"]
    hparams = {name: value for name, value in flags.items() if name != "optimizer_args"}
    hparams.update(flags.get("optimizer_args", {}))
    return hparams


def value_of(proto_value):
    kind = proto_value.WhichOneof("kind")
    return {"number_value": proto_value.number_value, "string_value": proto_value.string_value,
            "bool_value": proto_value.bool_value}.get(kind, kind)


def validation_metric(run):
    with open(os.path.join(logdir, run, "validation", "epochs.csv")) as f:
        rows = list(csv.reader(f))
    return rows[0][2][len("validation_"):], float(rows[-1][2])


runs = sorted(os.path.relpath(root, logdir) for root, _, files in os.walk(logdir) if "flags.json" in files)
check(len(runs) == expected_runs, f"{len(runs)} run folders in {logdir}, expected {expected_runs}")

multiplexer = plugin_event_multiplexer.EventMultiplexer(size_guidance={"tensors": 0})
multiplexer.AddRunsFromDirectory(logdir)
multiplexer.Reload()
content = multiplexer.PluginRunToTagToContent(metadata.PLUGIN_NAME)
for run in runs:
    tags = content.get(run, {})
    check(metadata.SESSION_START_INFO_TAG in tags, f"{run}: no session start")
    check(metadata.SESSION_END_INFO_TAG in tags, f"{run}: no session end")
    if metadata.SESSION_START_INFO_TAG not in tags or metadata.SESSION_END_INFO_TAG not in tags:
        continue
    starts = multiplexer.Tensors(run, metadata.SESSION_START_INFO_TAG)
    check(len(starts) == 1, f"{run}: {len(starts)} session starts")
    start = metadata.parse_session_start_info_plugin_data(tags[metadata.SESSION_START_INFO_TAG])
    hparams = {name: value_of(value) for name, value in start.hparams.items()}
    flags = flags_as_hparams(run)
    check(hparams == flags, f"{run}: hparams {hparams} are not the flags {flags}")
    for name, value in flags.items():
        kind = start.hparams[name].WhichOneof("kind") if name in start.hparams else None
        want = "bool_value" if isinstance(value, bool) else "number_value" if isinstance(value, (int, float)) \
            else "string_value"
        check(kind == want, f"{run}: {name} is a {kind}, flags.json's is a {want}")
    end = metadata.parse_session_end_info_plugin_data(tags[metadata.SESSION_END_INFO_TAG])
    check(end.status == api_pb2.STATUS_SUCCESS, f"{run}: ended {api_pb2.Status.Name(end.status)}")
    check(end.end_time_secs >= start.start_time_secs > 0, f"{run}: ended before it started")

# The plugin's own handlers, as the dashboard's table asks them.
provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
backend = backend_context.Context(
    base_plugin.TBContext(logdir=logdir, multiplexer=multiplexer, data_provider=provider))
request_context = context.RequestContext()
experiment = get_experiment.Handler(request_context, backend, "", api_pb2.GetExperimentRequest()).run()
metrics = {(m.name.group, m.name.tag) for m in experiment.metric_infos}
columns = {h.name for h in experiment.hparam_infos}
groups = list_session_groups.Handler(
    request_context, backend, "",
    api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=1000, allowed_statuses=list(range(4)))).run()
by_name = {group.name: group for group in groups.session_groups}
check(sorted(by_name) == runs, f"session groups {sorted(by_name)}, runs {runs}")
for run in runs:
    tag, last = validation_metric(run)
    check(("validation", tag) in metrics, f"validation/{tag} is not among the experiment's metrics {metrics}")
    check(set(flags_as_hparams(run)) <= columns, f"{run}: flags missing from the columns {columns}")
    values = {(v.name.group, v.name.tag): v.value for v in by_name[run].metric_values} if run in by_name else {}
    got = values.get(("validation", tag))
    check(got is not None and abs(got - last) <= 1e-6 * max(1, abs(last)),
          f"{run}: the table's validation {tag} is {got}, epochs.csv's last {last}")
    statuses = [s.status for s in by_name[run].sessions] if run in by_name else []
    check(statuses == [api_pb2.STATUS_SUCCESS], f"{run}: the table's statuses {statuses}")

print(f"checked the hparams of {len(runs)} runs in {logdir}: {len(columns)} hparams, {len(metrics)} metrics")
for failure in failures:
    print("MISMATCH:", failure)
sys.exit(1 if failures else 0)
