import Foundation

/// `word` as a POSIX shell reads it back: as it is where it has no special characters, else
/// in single quotes (a quote inside as '\'').
public func shellQuoted(_ word: String) -> String {
    let plain =
        !word.isEmpty
        && word.unicodeScalars.allSatisfy { c in
            c.isASCII
                && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_-./=:,+@%^".unicodeScalars.contains(c))
        }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}

/// A command line of the commands file: each word quoted.
public func shellCommandLine(_ words: [String]) -> String {
    words.map(shellQuoted).joined(separator: " ")
}
