import ArgumentParser
import Engine
import Foundation
import Training

/// A command of the bench: swift-argument-parser parses and checks its flags, `execute()` does
/// its work, and whatever stops it is one line on stderr with its sysexits code (64 for a bad
/// flag, as the parser's usage errors exit).
public protocol BenchCommand: ParsableCommand {
    func execute() throws(BenchError)
}

extension BenchCommand {
    public static func main() {
        BLASThreads.stop()
        let command: Self
        do {
            command = try parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            // --help is an "error" that exits 0 and prints the help text in full.
            guard exitCode(for: error) != .success else { exit(withError: error) }
            Console().error(oneLine(message(for: error)))
            exit(withError: exitCode(for: error))
        }
        do {
            try command.execute()
        } catch {
            Console().error(error.description)
            exit(withError: ExitCode(error.exitCode))
        }
    }
}

/// The parser's message on one line: it lists six or more choices one per line.
func oneLine(_ message: String) -> String {
    let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard let first = lines.first, lines.count > 1 else { return message }
    let items = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    return first + " " + items.joined(separator: ", ")
}
