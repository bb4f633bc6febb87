import Plugins

/// The dictionary an `.npy` header holds, a Python literal such as
/// `{'descr': '<u1', 'fortran_order': False, 'shape': (60000, 28, 28), }` padded with spaces to
/// a newline. It is parsed as the literal it is (strings, booleans, integers, tuples, lists,
/// nested to a small depth), not searched for substrings, so a header that lies about its
/// length or hides extra text after the dictionary is refused.
struct NpyHeader: Equatable {
    var dtype: NpyDType
    var fortranOrder: Bool
    var shape: [Int]

    /// A value of the Python literals a header holds.
    enum Value: Equatable {
        case string(String)
        case boolean(Bool)
        case integer(Int)
        case sequence([Value])
        case dictionary([String: Value])
    }

    static func parse(_ text: ArraySlice<UInt8>, path: String) throws(FileError) -> NpyHeader {
        var parser = Parser(text: text, path: path)
        let value = try parser.value(depth: 0)
        try parser.skipSpace()
        guard parser.atEnd else { throw parser.error("text after the dictionary") }
        guard case .dictionary(let entries) = value else {
            throw .malformed(path, "the header is not a dictionary")
        }
        let keys = Set(entries.keys)
        guard keys == ["descr", "fortran_order", "shape"] else {
            throw .malformed(
                path,
                "the header's keys are \(keys.sorted()), expected ['descr', 'fortran_order', 'shape']")
        }
        let dtype: NpyDType
        switch entries["descr"] {
        case .string(let descr): dtype = try NpyDType.parse(descr, path: path)
        case .sequence:
            throw .malformed(path, "dtype is a structured record (a list of fields); the bench reads plain arrays")
        default: throw .malformed(path, "the header's 'descr' is not a string")
        }
        guard case .boolean(let fortranOrder) = entries["fortran_order"] else {
            throw .malformed(path, "the header's 'fortran_order' is not True or False")
        }
        guard case .sequence(let dimensions) = entries["shape"] else {
            throw .malformed(path, "the header's 'shape' is not a tuple")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .integer(let n) = dimension, n >= 0 else {
                throw .malformed(path, "the header's 'shape' holds something other than sizes")
            }
            shape.append(n)
        }
        return NpyHeader(dtype: dtype, fortranOrder: fortranOrder, shape: shape)
    }

    /// Recursive descent over the header's bytes; every read is bounds-checked.
    private struct Parser {
        let text: ArraySlice<UInt8>
        let path: String
        var position: Int
        /// Deeper nesting than a structured dtype's is not a header.
        static let maximumDepth = 8

        init(text: ArraySlice<UInt8>, path: String) {
            self.text = text
            self.path = path
            position = text.startIndex
        }

        var atEnd: Bool { position >= text.endIndex }
        var next: UInt8? { atEnd ? nil : text[position] }

        func error(_ what: String) -> FileError {
            .malformed(path, "the header is not a valid dictionary: \(what) at byte \(position - text.startIndex)")
        }

        mutating func skipSpace() throws(FileError) {
            while let c = next, c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 { position += 1 }
        }

        mutating func expect(_ c: UInt8) throws(FileError) {
            try skipSpace()
            guard next == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
            position += 1
        }

        mutating func value(depth: Int) throws(FileError) -> Value {
            guard depth < Self.maximumDepth else { throw error("nesting too deep") }
            try skipSpace()
            guard let c = next else { throw error("unexpected end") }
            switch c {
            case UInt8(ascii: "{"): return try dictionary(depth: depth)
            case UInt8(ascii: "("): return .sequence(try sequence(closing: UInt8(ascii: ")"), depth: depth))
            case UInt8(ascii: "["): return .sequence(try sequence(closing: UInt8(ascii: "]"), depth: depth))
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "T"), UInt8(ascii: "F"): return .boolean(try boolean())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
            default: throw error("unexpected character")
            }
        }

        mutating func dictionary(depth: Int) throws(FileError) -> Value {
            position += 1
            var entries: [String: Value] = [:]
            while true {
                try skipSpace()
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                guard entries[key] == nil else { throw error("key '\(key)' repeated") }
                try expect(UInt8(ascii: ":"))
                entries[key] = try value(depth: depth + 1)
                try skipSpace()
                if next == UInt8(ascii: ",") { position += 1 } else { break }
            }
            try expect(UInt8(ascii: "}"))
            return .dictionary(entries)
        }

        /// A tuple or list; a one-element tuple is written `(5,)`.
        mutating func sequence(closing: UInt8, depth: Int) throws(FileError) -> [Value] {
            position += 1
            var items: [Value] = []
            while true {
                try skipSpace()
                if next == closing { break }
                items.append(try value(depth: depth + 1))
                try skipSpace()
                if next == UInt8(ascii: ",") { position += 1 } else { break }
            }
            try expect(closing)
            return items
        }

        mutating func string() throws(FileError) -> String {
            let quote = text[position]
            position += 1
            let start = position
            while let c = next, c != quote { position += 1 }
            guard !atEnd else { throw error("unterminated string") }
            position += 1
            return String(decoding: text[start..<(position - 1)], as: UTF8.self)
        }

        mutating func boolean() throws(FileError) -> Bool {
            for (word, value) in [("True", true), ("False", false)] where text[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return value
            }
            throw error("expected True or False")
        }

        /// A Python integer; Python 2's files may end one with `L`.
        mutating func integer() throws(FileError) -> Int {
            let negative = next == UInt8(ascii: "-")
            if negative { position += 1 }
            var value = 0
            var digits = 0
            while let c = next, c >= 0x30 && c <= 0x39 {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(c - 0x30))
                guard !o1 && !o2 else { throw error("integer too large") }
                value = sum
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw error("expected digits") }
            if next == UInt8(ascii: "L") { position += 1 }
            return negative ? -value : value
        }
    }
}
