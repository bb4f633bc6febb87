import Foundation
import Protobufs
import TestSupport
import Testing

@testable import DataIO

/// The events file read back record by record (TFRecord framing, checksums verified) and each
/// record decoded as TensorBoard's `Event`: the version record, the SessionLog START a resumed
/// run writes at its step, and the summaries in the order written.
@Suite struct TensorBoardEventsTests {
    static func events(_ path: String) throws -> [Tensorboard_Event] {
        let records = try #require(TFRecords.split(FileBytes.read(path), checksum: CRC32C.masked))
        return try records.map { try Tensorboard_Event(serializedBytes: $0) }
    }

    @Test func aResumedFileStartsAtItsStepAndHoldsItsSummaries() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        let events = try TensorBoardEvents(directory: data.directory, resumedAt: 7)
        try events.scalar("loss", 0.25, step: 8)
        try events.image("filters", png: [1, 2, 3], width: 4, height: 5, channels: 1, step: 9)
        let decoded = try Self.events(events.path)
        #expect(decoded.count == 4)
        #expect(decoded[0].fileVersion == "brain.Event:2" && decoded[0].step == 0)
        #expect(decoded[1].sessionLog.status == .start && decoded[1].step == 7)
        let scalar = decoded[2].summary.value
        #expect(decoded[2].step == 8 && scalar.map(\.tag) == ["loss"] && scalar.first?.simpleValue == 0.25)
        let image = decoded[3].summary.value.first?.image
        #expect(decoded[3].step == 9 && image?.encodedImageString == Data([1, 2, 3]))
        #expect(image?.width == 4 && image?.height == 5 && image?.colorspace == 1)
        #expect(decoded.allSatisfy { abs($0.wallTime - Date().timeIntervalSince1970) < 60 })
    }

    /// The HParams plugin's summaries as its Python writers lay them out: the tag, the plugin's
    /// name, `HParamsPluginData` (version 0) as the content, an empty float tensor of shape [0].
    @Test func hparamsSummariesCarryThePluginsData() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        let events = try TensorBoardEvents(directory: data.directory)
        let hparams: [String: TensorBoardEvents.HParamValue] = [
            "learning_rate": .number(0.01), "model": .text("LeNet"), "lr_decay": .flag(true),
        ]
        try events.sessionStarted(hparams: hparams, modelURI: "log/LeNet/run", at: Date(timeIntervalSince1970: 5))
        try events.sessionEnded(.failure, at: Date(timeIntervalSince1970: 7))
        let decoded = try Self.events(events.path)
        #expect(decoded.count == 3)
        let values = decoded.dropFirst().map { $0.summary.value }
        #expect(values.map(\.count) == [1, 1])
        #expect(values.map { $0.first?.tag } == ["_hparams_/session_start_info", "_hparams_/session_end_info"])
        #expect(decoded.dropFirst().allSatisfy { $0.step == 0 })
        var plugin: [Tensorboard_Hparams_HParamsPluginData] = []
        for value in values.compactMap(\.first) {
            #expect(value.metadata.pluginData.pluginName == "hparams")
            #expect(value.tensor.dtype == .dtFloat && value.tensor.tensorShape.dim.map(\.size) == [0])
            #expect(value.tensor.floatVal.isEmpty && value.tensor.tensorContent.isEmpty)
            plugin.append(try Tensorboard_Hparams_HParamsPluginData(serializedBytes: value.metadata.pluginData.content))
        }
        #expect(plugin.map(\.version) == [0, 0])
        let start = try #require(plugin.first?.sessionStartInfo)
        #expect(start.hparams["learning_rate"]?.numberValue == 0.01)
        #expect(start.hparams["model"]?.stringValue == "LeNet" && start.hparams["lr_decay"]?.boolValue == true)
        #expect(start.hparams.count == 3 && start.modelUri == "log/LeNet/run" && start.startTimeSecs == 5)
        let end = try #require(plugin.last?.sessionEndInfo)
        #expect(end.status == .failure && end.endTimeSecs == 7)
    }
}
