/// Which of CIFAR-100's two labels an image takes (`--label_mode`): one of its 100 fine classes,
/// or one of the 20 coarse superclasses that group them five by five.
public enum LabelMode: String, Sendable, CaseIterable, Codable {
    case fine, coarse
}
