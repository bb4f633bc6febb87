import DataIO
import Engine

extension Checkpoint {
    /// `--checkpoint_path`: puts the weights of the checkpoint in `directory` (a run folder or its
    /// `best/`) into `network`, but neither its optimizer's slots nor its step. Every parameter
    /// outside `excluded` must be in the checkpoint under its name with its shape; the
    /// checkpoint's other tensors (an autoencoder's decoder) are left unread. Nothing is loaded
    /// unless all of it checks out.
    public static func loadWeights(
        from directory: String, into network: Network, excluding excluded: ParameterScopes?
    ) throws(BenchError) {
        let path = try file(in: directory)
        let parsed: SafeTensors.File
        do { parsed = try SafeTensors.decode(try FileBytes.read(path), path: path) } catch { throw .file(error) }
        func bad(_ why: String) -> BenchError { .file(.malformed(path, why)) }
        guard parsed.metadata["format"] == format else {
            throw bad("not a checkpoint of this bench (no \(format) metadata)")
        }
        let source = parsed.metadata["model"] ?? "an unnamed model"
        let loaded = network.checkpointed.filter { !(excluded?.contains($0) ?? false) }
        for p in loaded {
            guard let t = parsed.tensors[p.name] else {
                throw bad(
                    "this checkpoint of \(source) has no tensor \(p.name); "
                        + "leave it initialised with --exclude_scopes")
            }
            guard t.shape == p.dimensions else {
                throw bad(
                    "tensor \(p.name) has shape \(t.shape) in this checkpoint of \(source), "
                        + "\(p.dimensions) in this model; leave it initialised with --exclude_scopes")
            }
        }
        for p in loaded { p.load(parsed.tensors[p.name]!.values) }
    }
}
