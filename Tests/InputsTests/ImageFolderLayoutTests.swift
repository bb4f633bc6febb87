import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO

/// The image folder's files and labels, read from trees the tests make (the files' contents do
/// not matter to the scan), and the per-class validation split.
@Suite struct ImageFolderLayoutTests {
    /// Creates `files` (paths relative to a fresh folder, parents made) and scans the folder.
    func scan(
        _ files: [String], classNames: [String]? = nil, needsClasses: Bool = true,
        classesTxt: String? = nil
    ) throws(FileError) -> (DatasetFiles, ImageFolderLayout) {
        let folder = DatasetFiles()
        for file in files {
            let path = folder.path(file)
            try! FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !file.hasSuffix("/") { folder.write(file, [0]) }
        }
        if let classesTxt { folder.write("classes.txt", Array(classesTxt.utf8)) }
        return (
            folder, try ImageFolderLayout.scan(folder.directory, classNames: classNames, needsClasses: needsClasses)
        )
    }

    func failure(
        _ files: [String], needsClasses: Bool = true, classesTxt: String? = nil
    ) -> FileError? {
        do {
            let (folder, _) = try scan(files, needsClasses: needsClasses, classesTxt: classesTxt)
            folder.remove()
            return nil
        } catch { return error }
    }

    @Test func classesAreTheSortedFoldersAndImagesAreNameSortedWithinEach() throws {
        let (folder, layout) = try scan([
            "train/shoe/2.png", "train/shoe/1.PNG", "train/bag/x.jpeg", "train/bag/.hidden.png",
            "train/bag/notes.txt", "train/.git/", "test/shoe/a.JPG", "test/bag/b.jpg",
        ])
        defer { folder.remove() }
        let root = folder.directory
        #expect(layout.classNames == ["bag", "shoe"])
        #expect(
            layout.train.paths == ["\(root)/train/bag/x.jpeg", "\(root)/train/shoe/1.PNG", "\(root)/train/shoe/2.png"])
        #expect(layout.train.labels == [0, 1, 1])
        #expect(layout.test.labels == [0, 1])
        #expect(layout.validation == nil)
        #expect(layout.skipped == ["\(root)/train/bag/notes.txt"])
    }

    @Test func classesTxtSetsTheLabelsAndASavedListOverridesIt() throws {
        let files = ["train/a/1.png", "train/b/1.png", "test/a/1.png", "validation/b/2.png"]
        let (folder, layout) = try scan(files, classesTxt: "b\n\na\n")
        defer { folder.remove() }
        #expect(layout.classNames == ["b", "a"])
        #expect(layout.train.labels == [0, 1])
        #expect(layout.validation?.labels == [0])
        let (again, saved) = try scan(files, classNames: ["a", "b"], classesTxt: "b\na\n")
        defer { again.remove() }
        #expect(saved.train.labels == [0, 1] && saved.classNames == ["a", "b"])
        #expect(saved.train.paths.first!.hasSuffix("train/a/1.png"))
    }

    @Test func autoencodersTakeImagesWithoutClasses() throws {
        let (folder, layout) = try scan(["train/1.png", "train/2.jpg", "test/3.png"], needsClasses: false)
        defer { folder.remove() }
        #expect(layout.classNames.isEmpty && layout.train.count == 2 && layout.test.count == 1)
        let error = failure(["train/1.png", "test/3.png"])
        #expect(error?.kind == .malformed && error?.reason.contains("class folders") == true)
    }

    @Test func badTreesNameTheFolderAndWhatIsWrong() {
        let missingTrain = failure(["test/a/1.png"])
        #expect(missingTrain?.kind == .missing && missingTrain?.file.hasSuffix("/train") == true)
        let missingTest = failure(["train/a/1.png"])
        #expect(missingTest?.kind == .missing && missingTest?.file.hasSuffix("/test") == true)
        let empty = failure(["train/a/1.png", "train/b/readme.md", "test/a/1.png"])
        #expect(empty?.kind == .malformed && empty?.file.hasSuffix("/train/b") == true)
        #expect(empty?.reason.contains("empty class folder") == true)
        let stray = failure(["train/a/1.png", "train/c/1.png", "test/a/1.png"], classesTxt: "a\n")
        #expect(stray?.file.hasSuffix("/train/c") == true)
        let twice = failure(["train/a/1.png", "test/a/1.png"], classesTxt: "a\na\n")
        #expect(twice?.reason.contains("twice") == true)
        let noImages = failure(["train/a/1.png", "test/a/1.txt"])
        #expect(noImages?.file.hasSuffix("/test") == true && noImages?.reason.contains("no .png") == true)
    }

    @Test func validationKeepsATwelfthOfEachClassDrawnByTheSeed() {
        let labels: [Int32] =
            Array(repeating: 0, count: 24) + Array(repeating: 1, count: 36) + Array(repeating: 2, count: 13)
        let split = ClassBalancedSplit.positions(labels: labels, seed: 7)
        #expect(split.validation.filter { labels[$0] == 0 }.count == 2)
        #expect(split.validation.filter { labels[$0] == 1 }.count == 3)
        #expect(split.validation.filter { labels[$0] == 2 }.count == 1)
        #expect(Set(split.train).isDisjoint(with: split.validation))
        #expect((split.train + split.validation).sorted() == Array(labels.indices))
        #expect(split.train == split.train.sorted() && split.validation == split.validation.sorted())
        let again = ClassBalancedSplit.positions(labels: labels, seed: 7)
        #expect(again.train == split.train && again.validation == split.validation)
        // Not simply the last images of each class, and another seed draws others.
        #expect(split.validation != [22, 23, 57, 58, 59, 72])
        #expect(ClassBalancedSplit.positions(labels: labels, seed: 8).validation != split.validation)
    }
}
