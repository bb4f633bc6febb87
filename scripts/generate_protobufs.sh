#!/usr/bin/env bash
# Regenerates Sources/Protobufs from the .proto files in Protos/ (ONNX's onnx.proto, TensorBoard's
# event and hparams protos, copied unchanged from the commits named in Protos/README.md). Run it
# after changing a .proto or the swift-protobuf version; its output is committed, because building
# the generator takes about ten minutes and CI should not pay for that on every run.
# Needs protoc (Debian: protobuf-compiler). Usage: generate_protobufs.sh [SWIFT_PROTOBUF_VERSION]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-1.39.0}
generator=${BENCH_PROTOC_GEN_SWIFT_DIR:-$root/.build/protoc-gen-swift-$version}
if [[ ! -x "$generator/.build/release/protoc-gen-swift" ]]; then
    rm -rf "$generator"
    git clone --quiet --branch "$version" https://github.com/apple/swift-protobuf "$generator"
    (cd "$generator" && swift build -c release --product protoc-gen-swift)
fi
out=$root/Sources/Protobufs
rm -f "$out"/*.pb.swift
cd "$root/Protos"
protoc --plugin="$generator/.build/release/protoc-gen-swift" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores --swift_out="$out" \
    onnx/onnx.proto tensorboard/compat/proto/*.proto tensorboard/plugins/hparams/{api,plugin_data}.proto
