import Plugins

/// The image files a list of paths names, in order: a file as itself, a folder as the `.png`,
/// `.jpg` and `.jpeg` files under it (its subfolders too, so an exported split's class folders
/// are read), sorted by path. Hidden files and folders are skipped.
public enum ImagePaths {
    public static func expand(_ paths: [String]) throws(FileError) -> [String] {
        var files: [String] = []
        for path in paths {
            if FileBytes.isDirectory(path) {
                let found = try images(under: path)
                guard !found.isEmpty else { throw .malformed(path, "holds no .png, .jpg or .jpeg images") }
                files += found
            } else {
                guard FileBytes.exists(path) else { throw .missing(path, "no such image file or folder") }
                files.append(path)
            }
        }
        return files
    }

    private static func images(under folder: String) throws(FileError) -> [String] {
        var files: [String] = []
        for name in try ImageFolderLayout.entries(folder) where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if FileBytes.isDirectory(path) {
                files += try images(under: path)
            } else if ImageFolderLayout.isImageName(name) {
                files.append(path)
            }
        }
        return files
    }
}
