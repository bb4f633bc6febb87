import Foundation
import Plugins
import Protobufs

/// TensorBoard's HParams plugin data, as its Python writers (`hparams.summary`, `summary_v2`)
/// lay it out: a summary value tagged `_hparams_/session_start_info` or `_hparams_/session_end_info`
/// whose metadata names the plugin `hparams` and carries a serialized `HParamsPluginData` (version
/// 0), beside an empty float tensor. The plugin takes the folder of the events file as the session
/// and the scalars of its subfolders as the session's metrics.
extension TensorBoardEvents {
    /// A hyperparameter's value: the dashboard compares numbers as numbers, the rest as text.
    public enum HParamValue: Equatable, Sendable {
        case number(Double)
        case text(String)
        case flag(Bool)
    }

    /// How a session ended, as the dashboard filters sessions.
    public enum SessionStatus: Sendable {
        /// Ran to its end.
        case success
        /// Ended for good without a result worth comparing.
        case failure
        /// Stopped without an outcome, to be resumed (as a session that never ended).
        case unknown
    }

    static let sessionStartTag = "_hparams_/session_start_info"
    static let sessionEndTag = "_hparams_/session_end_info"

    /// The session's hyperparameters and start; the dashboard keeps the first start of a session.
    public func sessionStarted(hparams: [String: HParamValue], modelURI: String, at time: Date) throws(FileError) {
        var start = Tensorboard_Hparams_SessionStartInfo()
        for (name, value) in hparams {
            switch value {
            case .number(let number): start.hparams[name] = .init(numberValue: number)
            case .text(let text): start.hparams[name] = .init(stringValue: text)
            case .flag(let flag): start.hparams[name] = .init(boolValue: flag)
            }
        }
        start.modelUri = modelURI
        start.startTimeSecs = time.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionStartInfo = start
        try hparamsSummary(Self.sessionStartTag, data)
    }

    /// The session's end; the dashboard keeps the first end of a session.
    public func sessionEnded(_ status: SessionStatus, at time: Date) throws(FileError) {
        var end = Tensorboard_Hparams_SessionEndInfo()
        end.status =
            switch status {
            case .success: .success
            case .failure: .failure
            case .unknown: .unknown
            }
        end.endTimeSecs = time.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionEndInfo = end
        try hparamsSummary(Self.sessionEndTag, data)
    }

    private func hparamsSummary(_ tag: String, _ data: Tensorboard_Hparams_HParamsPluginData) throws(FileError) {
        let content: Data
        do { content = try data.serializedBytes() } catch {
            throw .malformed(path, "cannot encode the hparams plugin data: \(error)")
        }
        try summary(tag, step: 0) { value in
            value.metadata.pluginData.pluginName = "hparams"
            value.metadata.pluginData.content = content
            // The writers' "null tensor": no values, a float tensor of shape [0] (a dimension of size 0).
            value.tensor.dtype = .dtFloat
            value.tensor.tensorShape.dim = [.init()]
        }
    }
}
