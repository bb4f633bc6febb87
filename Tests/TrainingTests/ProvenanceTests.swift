import Foundation
import Testing

@testable import Training

/// flags.json's provenance records the ssh connection a run came through (GNU parallel's
/// `--sshloginfile` starts runs over ssh), and leaves the key out for runs started here.
@Suite struct ProvenanceTests {
    func encoded(_ provenance: Provenance) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(provenance)) as? [String: Any])
    }

    @Test func recordsTheSSHConnection() throws {
        let environment = ["SSH_CONNECTION": "127.0.0.1 51234 127.0.0.1 2222", "OPENBLAS_CORETYPE": "Haswell"]
        let remote = Provenance(threads: 1, environment: environment)
        let json = try encoded(remote)
        #expect(json["ssh_connection"] as? String == "127.0.0.1 51234 127.0.0.1 2222")
        #expect(json["openblas_coretype_variable"] as? String == "Haswell")
        let decoded = try JSONDecoder().decode(Provenance.self, from: JSONEncoder().encode(remote))
        #expect(decoded.sshConnection == "127.0.0.1 51234 127.0.0.1 2222")
    }

    @Test func leavesItOutWhenNotOverSSH() throws {
        for environment in [[:], ["SSH_CONNECTION": ""]] {
            let json = try encoded(Provenance(threads: 1, environment: environment))
            #expect(json["ssh_connection"] == nil && json["cpu"] != nil, "\(json)")
        }
        // A provenance written before the key existed still reads.
        let old = """
            {"version": "0.1.0", "git_commit": "abc", "cpu": "x", "threads": 2, "openblas_core": "Haswell",
             "openblas_coretype_variable": "unset", "started": "2026-01-01 00:00:00"}
            """
        #expect(try JSONDecoder().decode(Provenance.self, from: Data(old.utf8)).sshConnection == nil)
    }
}
