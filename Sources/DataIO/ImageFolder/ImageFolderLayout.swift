import Foundation
import Plugins

/// The files of an image folder in torchvision's `ImageFolder` layout: `DIR/train/<class>/<image>`,
/// `DIR/test/<class>/<image>` and optionally `DIR/validation/<class>/<image>`, or, for autoencoders,
/// images straight in `DIR/train/` with no class level. Images are the files whose names end in
/// `.png`, `.jpg` or `.jpeg` in any case; hidden files are skipped silently, other files are
/// counted. Classes follow `DIR/classes.txt` (one folder name a line) where it exists, or a run's
/// saved list, else the class folders' names sorted.
public struct ImageFolderLayout: Sendable {
    /// One split's images in the order they are read: class by class, names sorted within each.
    public struct Split: Sendable {
        public var paths: [String] = []
        public var labels: [Int32] = []
        public var count: Int { paths.count }
    }

    public let directory: String
    public let classNames: [String]
    public let train: Split
    public let validation: Split?
    public let test: Split
    /// Files in the split folders that are neither images nor hidden.
    public let skipped: [String]

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Scans `directory`. `classNames`, when given (a run's saved `classes.txt`), fixes the
    /// labels; `needsClasses` refuses the flat layout (classifiers).
    public static func scan(_ directory: String, classNames given: [String]? = nil, needsClasses: Bool = true)
        throws(FileError) -> ImageFolderLayout
    {
        guard FileBytes.isDirectory(directory) else { throw .missing(directory, "no such folder") }
        let trainDirectory = directory + "/train"
        guard FileBytes.isDirectory(trainDirectory) else {
            throw .missing(trainDirectory, "no such folder; an image folder holds train/ and test/ (and validation/)")
        }
        let testDirectory = directory + "/test"
        guard FileBytes.isDirectory(testDirectory) else { throw .missing(testDirectory, "no such folder") }
        let flat = try classFolders(trainDirectory).isEmpty
        if flat && needsClasses {
            throw .malformed(trainDirectory, "no class folders: a classifier needs train/<class>/<image>")
        }
        let classes: [String]
        if flat {
            classes = []
        } else if let given {
            classes = given
        } else if FileBytes.exists(directory + "/classes.txt") {
            classes = try readClassList(directory + "/classes.txt")
            if let bad = classes.first(where: { $0.contains("/") || $0 == "." || $0 == ".." }) {
                throw .malformed(directory + "/classes.txt", "'\(bad)' is not a folder name")
            }
        } else {
            classes = try classFolders(trainDirectory)
        }
        var skipped: [String] = []
        let train = try split(trainDirectory, classes: classes, flat: flat, skipped: &skipped, required: true)
        let validationDirectory = directory + "/validation"
        let validation =
            FileBytes.isDirectory(validationDirectory)
            ? try split(validationDirectory, classes: classes, flat: flat, skipped: &skipped, required: false) : nil
        let test = try split(testDirectory, classes: classes, flat: flat, skipped: &skipped, required: false)
        return ImageFolderLayout(
            directory: directory, classNames: classes, train: train, validation: validation, test: test,
            skipped: skipped)
    }

    /// A `classes.txt`: one class name a line; blank lines ignored, names unique.
    public static func readClassList(_ path: String) throws(FileError) -> [String] {
        let bytes = try FileBytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed(path, "not UTF-8 text") }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !names.isEmpty else { throw .malformed(path, "lists no classes") }
        var seen = Set<String>()
        for name in names {
            guard seen.insert(name).inserted else { throw .malformed(path, "lists class '\(name)' twice") }
        }
        return names
    }

    /// The visible sub-folders of `directory`, sorted.
    static func classFolders(_ directory: String) throws(FileError) -> [String] {
        try entries(directory).filter { !$0.hasPrefix(".") && FileBytes.isDirectory(directory + "/" + $0) }
    }

    static func entries(_ directory: String) throws(FileError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .missing(directory, "cannot list: \((error as NSError).localizedDescription)")
        }
    }

    static func isImageName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// The images of one split folder, label by label. Every class of a classified training split
    /// must hold an image; validation and test may lack a class.
    private static func split(
        _ directory: String, classes: [String], flat: Bool, skipped: inout [String], required: Bool
    ) throws(FileError) -> Split {
        var split = Split()
        func addImages(of folder: String, label: Int32) throws(FileError) -> Int {
            var found = 0
            for name in try entries(folder) where !name.hasPrefix(".") {
                let path = folder + "/" + name
                if FileBytes.isDirectory(path) { continue }
                guard isImageName(name) else {
                    skipped.append(path)
                    continue
                }
                split.paths.append(path)
                split.labels.append(label)
                found += 1
            }
            return found
        }
        if flat {
            _ = try addImages(of: directory, label: 0)
        } else {
            let present = Set(try classFolders(directory))
            if let stray = present.subtracting(classes).sorted().first {
                throw .malformed(directory + "/" + stray, "a class folder that is not among the classes \(classes)")
            }
            for (label, name) in classes.enumerated() {
                let folder = directory + "/" + name
                guard present.contains(name) else {
                    if required { throw .missing(folder, "no such class folder") }
                    continue
                }
                if try addImages(of: folder, label: Int32(label)) == 0 && required {
                    throw .malformed(folder, "an empty class folder: no .png, .jpg or .jpeg images")
                }
            }
        }
        if split.count == 0 { throw .malformed(directory, "holds no .png, .jpg or .jpeg images") }
        return split
    }
}
