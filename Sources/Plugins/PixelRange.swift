/// The range a model wants its pixels in: DTB's tanh models take [-1, 1], Lasagne's [0, 1].
public enum PixelRange: String, Sendable {
    case zeroToOne = "[0,1]"
    case minusOneToOne = "[-1,1]"
}
