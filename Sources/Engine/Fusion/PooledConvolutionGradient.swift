/// The backward pass of a convolution whose output reaches the loss only through a max pool, as
/// every seed model's convolutions do. The pool sends each window's gradient to its arg-max
/// alone, so only a quarter of a 2x2 pool's input positions carry gradient (a twenty-fifth for
/// 5x5), and after a ReLU fewer still. Working from per-channel lists of those positions skips
/// the zeros the dense backward multiplies through, and the pool never writes its dense input
/// gradient. Overlapping windows only add more entries: the sums stay the same.
///
/// An entry (position, g) of output channel c adds g · (the input patch under the position) to
/// c's weight gradient, and g · (c's weights) to the input gradient under that patch. Patches
/// are read as 16-float vectors from a per-sample copy of the input, in one of two layouts:
/// - channels-last (input channels a multiple of 16): a vector is 16 channels of one tap, the
///   copy is [y][x][channel] with the zero border, and the input gradient is summed the same way;
/// - rows (kernels at most 16 wide, no input gradient: a first layer): a vector is one kernel row
///   of one channel, whose lanes past the kernel width are read and dropped; the copy is the
///   planes with a zero border and 16 floats of slack after each row.
final class PooledConvolutionGradient {
    typealias Vector = SIMD16<Float>
    enum Layout { case channelsLast, rows }

    let g: ConvolutionGeometry
    let layout: Layout
    let activation: Activation
    /// 16-float vectors per patch.
    let vectors: Int
    /// Per vector: its distance from a position's base in the copy.
    private let sourceOffsets: Buffer<Int>
    /// Channels-last: per vector, its distance in one channel's weights laid out [tap][channel].
    private let weightOffsets: Buffer<Int>
    /// Per vector: where its sums go in one channel's partial weight gradient.
    private let partialOffsets: Buffer<Int>
    /// Per output position: where its patch starts in the copy.
    private let bases: Buffer<Int>
    private let paddedHeight: Int
    private let paddedWidth: Int
    private let copyCount: Int
    /// The weights laid out [out][tap][in] for the input gradient (channels-last).
    private let weightsByTap: Buffer<Float>
    private let scratch: ThreadPartials
    private let lists: ThreadLists
    /// Partial weight gradients in the layout's order ([out][vector][16]), and bias gradients.
    private let weightPartials: ThreadPartials
    private let biasPartials: ThreadPartials
    /// Whether this pass computes the weight gradient: not for frozen weights.
    private var weightGradient = true

    /// The layout a geometry can use, if any.
    static func layout(for g: ConvolutionGeometry, inputGradient: Bool) -> Layout? {
        if g.input.channels % Vector.scalarCount == 0 { return .channelsLast }
        if !inputGradient && g.kernelWidth <= Vector.scalarCount { return .rows }
        return nil
    }

    init(_ g: ConvolutionGeometry, layout: Layout, activation: Activation, pooledPlane: Int, threads: Int) {
        self.g = g
        self.layout = layout
        self.activation = activation
        let (cin, kh, kw) = (g.input.channels, g.kernelHeight, g.kernelWidth)
        paddedHeight = g.input.height + 2 * g.padHeight
        switch layout {
        case .channelsLast:
            paddedWidth = g.input.width + 2 * g.padWidth
            vectors = kh * kw * cin / Vector.scalarCount
            copyCount = paddedHeight * paddedWidth * cin
        case .rows:
            paddedWidth = g.input.width + 2 * g.padWidth + Vector.scalarCount
            vectors = cin * kh
            copyCount = cin * paddedHeight * paddedWidth
        }
        sourceOffsets = Buffer(count: vectors, initialValue: 0)
        weightOffsets = Buffer(count: vectors, initialValue: 0)
        let blocks = cin / Vector.scalarCount
        for v in 0..<vectors {
            switch layout {
            case .channelsLast:
                let (tap, block) = v.quotientAndRemainder(dividingBy: blocks)
                let (ky, kx) = tap.quotientAndRemainder(dividingBy: kw)
                sourceOffsets.pointer[v] = (ky * paddedWidth + kx) * cin + block * Vector.scalarCount
                weightOffsets.pointer[v] = tap * cin + block * Vector.scalarCount
            case .rows:
                let (c, ky) = v.quotientAndRemainder(dividingBy: kh)
                sourceOffsets.pointer[v] = (c * paddedHeight + ky) * paddedWidth
            }
        }
        partialOffsets = Buffer(count: vectors, initialValue: 0)
        for v in 0..<vectors { partialOffsets.pointer[v] = v * Vector.scalarCount }
        let step = layout == .channelsLast ? cin : 1
        bases = Buffer(count: g.positions, initialValue: 0)
        for oy in 0..<g.output.height {
            for ox in 0..<g.output.width {
                bases.pointer[oy * g.output.width + ox] =
                    (oy * g.strideHeight * paddedWidth + ox * g.strideWidth) * step
            }
        }
        weightsByTap = Buffer(count: layout == .channelsLast ? g.weightCount : 0, initialValue: 0)
        // Channels-last copies need a second buffer: the input gradient's sums, and first the
        // unpadded transpose on its way into the border.
        scratch = ThreadPartials(size: copyCount * (layout == .channelsLast ? 2 : 1), threads: threads)
        lists = ThreadLists(
            entries: g.output.channels * pooledPlane, channels: g.output.channels,
            positions: g.positions, threads: threads)
        weightPartials = ThreadPartials(size: g.output.channels * vectors * Vector.scalarCount, threads: threads)
        biasPartials = ThreadPartials(size: g.output.channels, threads: threads)
    }

    /// Before a parallel pass: zero the partials, and lay out the weights for the input gradient.
    func begin(weights w: UnsafePointer<Float>, inputGradient: Bool, weightGradient: Bool) {
        self.weightGradient = weightGradient
        if weightGradient { weightPartials.zero() }
        biasPartials.zero()
        guard inputGradient, layout == .channelsLast else { return }
        for c in 0..<g.output.channels {
            ChannelVectorConvolution.transpose(
                w + c * g.patch, rows: g.input.channels, columns: g.kernelHeight * g.kernelWidth,
                into: weightsByTap.pointer + c * g.patch)
        }
    }

    /// The pool's side of one sample: its gradient, its output (for the activation's derivative)
    /// and each window's arg-max, a position in the convolution's output plane; `plane` per channel.
    struct Routes {
        let gradient: UnsafePointer<Float>
        let output: UnsafePointer<Float>
        let argmax: UnsafePointer<Int32>
        let plane: Int
    }

    /// One sample's share of the weight and bias gradients, and its input gradient if `dx`.
    func backward(_ x: UnsafePointer<Float>, _ routes: Routes, dx: UnsafeMutablePointer<Float>?, chunk: Int) {
        let copy = scratch.slice(chunk), sums = copy + copyCount
        if weightGradient { fillCopy(x, copy, temporary: sums) }
        let list = lists.slice(chunk)
        let count = gatherEntries(routes, list, bias: biasPartials.slice(chunk))
        if weightGradient { accumulateWeightGradient(copy, list, into: weightPartials.slice(chunk)) }
        guard let dx else { return }
        precondition(layout == .channelsLast, "the rows layout computes no input gradient")
        sortByPosition(list, count: count)
        sums.update(repeating: 0, count: copyCount)
        for q in 0..<g.positions {
            let first = list.firsts[q], n = list.firsts[q + 1] - first
            guard n > 0 else { continue }
            Tile.accumulate(
                vectors, weightsByTap.pointer, steps: list.sortedSteps + first, scales: list.sortedScales + first,
                count: n, offsets: weightOffsets.pointer, into: sums + bases.pointer[q], at: sourceOffsets.pointer)
        }
        ChannelVectorConvolution.planarInput(from: sums, g, paddedWidth: paddedWidth, into: dx)
    }

    /// Adds one sample's weight gradient, from its copy and its gradient lists, to a thread's partials.
    private func accumulateWeightGradient(
        _ copy: UnsafeMutablePointer<Float>, _ list: ThreadLists.Slice, into partial: UnsafeMutablePointer<Float>
    ) {
        for c in 0..<g.output.channels {
            let first = list.starts[c], n = list.starts[c + 1] - first
            guard n > 0 else { continue }
            Tile.accumulate(
                vectors, copy, steps: list.steps + first, scales: list.scales + first, count: n,
                offsets: sourceOffsets.pointer, into: partial + c * vectors * Vector.scalarCount,
                at: partialOffsets.pointer)
        }
    }

    /// The sample as the tiles read it.
    private func fillCopy(
        _ x: UnsafePointer<Float>, _ copy: UnsafeMutablePointer<Float>, temporary: UnsafeMutablePointer<Float>
    ) {
        let (cin, h, w) = (g.input.channels, g.input.height, g.input.width)
        switch layout {
        case .rows:
            _ = PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: Vector.scalarCount, into: copy)
        case .channelsLast where g.padHeight == 0 && g.padWidth == 0:
            ChannelVectorConvolution.transpose(x, rows: cin, columns: h * w, into: copy)
        case .channelsLast:
            ChannelVectorConvolution.transpose(x, rows: cin, columns: h * w, into: temporary)
            copy.update(repeating: 0, count: copyCount)
            for y in 0..<h {
                (copy + ((y + g.padHeight) * paddedWidth + g.padWidth) * cin).update(
                    from: temporary + y * w * cin, count: w * cin)
            }
        }
    }

    /// Lists, per output channel, the positions whose gradient is not zero, with that gradient
    /// (the pool's, times the activation's derivative at the pooled output); adds the bias
    /// gradient. Returns the number of entries.
    private func gatherEntries(_ routes: Routes, _ list: ThreadLists.Slice, bias: UnsafeMutablePointer<Float>) -> Int {
        switch activation {
        case .identity: gatherEntries(routes, list, bias: bias) { _ in 1 }
        case .tanh: gatherEntries(routes, list, bias: bias) { 1 - $0 * $0 }
        case .relu: gatherEntries(routes, list, bias: bias) { $0 > 0 ? 1 : 0 }
        case .sigmoid: gatherEntries(routes, list, bias: bias) { $0 * (1 - $0) }
        }
    }

    @inline(__always)
    private func gatherEntries(
        _ routes: Routes, _ list: ThreadLists.Slice, bias: UnsafeMutablePointer<Float>,
        derivative: (Float) -> Float
    ) -> Int {
        let (gradient, output, argmax, plane) = (routes.gradient, routes.output, routes.argmax, routes.plane)
        let (bases, positions, steps, scales) = (bases.pointer, list.positions, list.steps, list.scales)
        var e = 0
        for c in 0..<g.output.channels {
            list.starts[c] = e
            var sum: Float = 0
            // Every window is written and only the non-zero ones kept: a branch on the value
            // would be mispredicted about as often as a ReLU is off.
            for wi in (c * plane)..<((c + 1) * plane) {
                let d = gradient[wi] * derivative(output[wi])
                let q = Int(argmax[wi])
                positions[e] = q
                steps[e] = bases[q]
                scales[e] = d
                sum += d
                // 1 unless d is ±0, in integer arithmetic: the compiler turns a comparison back into a branch.
                e += Int((d.bitPattern & 0x7FFF_FFFF &+ 0x7FFF_FFFF) >> 31)
            }
            bias[c] += sum
        }
        list.starts[g.output.channels] = e
        return e
    }

    /// The same entries grouped by position (a counting sort), each pointing at its channel's
    /// weights, for the input gradient.
    private func sortByPosition(_ list: ThreadLists.Slice, count: Int) {
        let firsts = list.firsts, cursor = list.cursor
        firsts.update(repeating: 0, count: g.positions + 1)
        for e in 0..<count { firsts[list.positions[e] + 1] += 1 }
        for q in 0..<g.positions { firsts[q + 1] += firsts[q] }
        cursor.update(from: firsts, count: g.positions)
        for c in 0..<g.output.channels {
            for e in list.starts[c]..<list.starts[c + 1] {
                let q = list.positions[e], slot = cursor[q]
                cursor[q] = slot + 1
                list.sortedSteps[slot] = c * g.patch
                list.sortedScales[slot] = list.scales[e]
            }
        }
    }

    /// Adds the batch's partial sums to the parameters' gradients (tied uses add up there).
    func finish(weight: Parameter, bias: Parameter?) {
        if let bias, !bias.frozen { biasPartials.reduce(into: bias.gradient) }
        guard weightGradient else { return }
        let cin = g.input.channels, taps = g.kernelHeight * g.kernelWidth, width = Vector.scalarCount
        let sum = scratch.slice(0)  // free once the pass is done, and larger than a channel's partials
        for c in 0..<g.output.channels {
            let row = c * vectors * width
            sum.update(repeating: 0, count: vectors * width)
            for t in 0..<weightPartials.threads {
                let s = weightPartials.slice(t) + row
                for i in 0..<(vectors * width) { sum[i] += s[i] }
            }
            let grad = weight.gradient + c * g.patch
            switch layout {
            case .channelsLast:
                for tap in 0..<taps { for i in 0..<cin { grad[i * taps + tap] += sum[tap * cin + i] } }
            case .rows:
                for v in 0..<vectors {
                    for kx in 0..<g.kernelWidth { grad[v * g.kernelWidth + kx] += sum[v * width + kx] }
                }
            }
        }
    }

    /// Up to sixteen accumulators: vector j sums scale[s] · (16 floats at values + steps[s] +
    /// offsets[j]) over the steps, for j < `live`.
    struct Tile {
        var v0 = Vector(), v1 = Vector(), v2 = Vector(), v3 = Vector(), v4 = Vector(), v5 = Vector()
        var v6 = Vector(), v7 = Vector(), v8 = Vector(), v9 = Vector(), v10 = Vector(), v11 = Vector()
        var v12 = Vector(), v13 = Vector(), v14 = Vector(), v15 = Vector()

        /// Adds the sums of `vectors` vectors to target + targets[j], in tiles of 16, 8, 4, 2 and 1:
        /// each tile full, its width a constant the compiler unrolls (a runtime width leaves a
        /// branch per vector and step in the loop).
        static func accumulate(
            _ vectors: Int, _ values: UnsafePointer<Float>, steps: UnsafePointer<Int>,
            scales: UnsafePointer<Float>, count: Int, offsets: UnsafePointer<Int>,
            into target: UnsafeMutablePointer<Float>, at targets: UnsafePointer<Int>
        ) {
            var j = 0
            while j < vectors {
                let (o, t) = (offsets + j, targets + j)
                switch vectors - j {
                case 16...: Tile(values, steps, scales, count, o, live: 16).add(live: 16, target, t); j += 16
                case 8...: Tile(values, steps, scales, count, o, live: 8).add(live: 8, target, t); j += 8
                case 4...: Tile(values, steps, scales, count, o, live: 4).add(live: 4, target, t); j += 4
                case 2...: Tile(values, steps, scales, count, o, live: 2).add(live: 2, target, t); j += 2
                default: Tile(values, steps, scales, count, o, live: 1).add(live: 1, target, t); j += 1
                }
            }
        }

        @inline(__always)
        init(
            _ values: UnsafePointer<Float>, _ steps: UnsafePointer<Int>, _ scales: UnsafePointer<Float>, _ count: Int,
            _ offsets: UnsafePointer<Int>, live: Int
        ) {
            let o = (
                offsets[0], offsets[min(1, live - 1)], offsets[min(2, live - 1)], offsets[min(3, live - 1)],
                offsets[min(4, live - 1)], offsets[min(5, live - 1)], offsets[min(6, live - 1)],
                offsets[min(7, live - 1)],
                offsets[min(8, live - 1)], offsets[min(9, live - 1)], offsets[min(10, live - 1)],
                offsets[min(11, live - 1)],
                offsets[min(12, live - 1)], offsets[min(13, live - 1)], offsets[min(14, live - 1)],
                offsets[min(15, live - 1)]
            )
            for s in 0..<count {
                let base = UnsafeRawPointer(values + steps[s]), k = Vector(repeating: scales[s])
                @inline(__always) func at(_ offset: Int) -> Vector {
                    base.loadUnaligned(fromByteOffset: 4 * offset, as: Vector.self)
                }
                v0.addProduct(k, at(o.0))
                if live > 1 { v1.addProduct(k, at(o.1)) }
                if live > 2 { v2.addProduct(k, at(o.2)); v3.addProduct(k, at(o.3)) }
                if live > 4 {
                    v4.addProduct(k, at(o.4)); v5.addProduct(k, at(o.5)); v6.addProduct(k, at(o.6));
                    v7.addProduct(k, at(o.7))
                }
                if live > 8 {
                    v8.addProduct(k, at(o.8)); v9.addProduct(k, at(o.9)); v10.addProduct(k, at(o.10));
                    v11.addProduct(k, at(o.11))
                    v12.addProduct(k, at(o.12)); v13.addProduct(k, at(o.13)); v14.addProduct(k, at(o.14));
                    v15.addProduct(k, at(o.15))
                }
            }
        }

        @inline(__always)
        func add(live: Int, _ target: UnsafeMutablePointer<Float>, _ targets: UnsafePointer<Int>) {
            func put(_ j: Int, _ v: Vector) {
                guard j < live else { return }
                let p = UnsafeMutableRawPointer(target + targets[j])
                p.storeBytes(of: p.loadUnaligned(as: Vector.self) + v, as: Vector.self)
            }
            put(0, v0); put(1, v1); put(2, v2); put(3, v3); put(4, v4); put(5, v5); put(6, v6); put(7, v7)
            put(8, v8); put(9, v9); put(10, v10); put(11, v11); put(12, v12); put(13, v13); put(14, v14); put(15, v15)
        }
    }
}

/// Per-thread entry lists of PooledConvolutionGradient.
final class ThreadLists: @unchecked Sendable {
    struct Slice {
        let starts: UnsafeMutablePointer<Int>
        let positions: UnsafeMutablePointer<Int>
        let steps: UnsafeMutablePointer<Int>
        let scales: UnsafeMutablePointer<Float>
        let firsts: UnsafeMutablePointer<Int>
        let cursor: UnsafeMutablePointer<Int>
        let sortedSteps: UnsafeMutablePointer<Int>
        let sortedScales: UnsafeMutablePointer<Float>
    }

    private let entries: Int
    private let channels: Int
    private let positions: Int
    /// Per thread, whole cache lines of each (threads must not share one).
    private let integerStride: Int
    private let floatStride: Int
    private let integers: Buffer<Int>
    private let floats: Buffer<Float>

    init(entries: Int, channels: Int, positions: Int, threads: Int) {
        self.entries = entries
        self.channels = channels
        self.positions = positions
        integerStride = Buffer<Int>.wholeLines(3 * entries + channels + 1 + 2 * positions + 1)
        floatStride = Buffer<Float>.wholeLines(2 * entries)
        integers = Buffer(count: threads * integerStride, initialValue: 0)
        floats = Buffer(count: threads * floatStride, initialValue: 0)
    }

    func slice(_ thread: Int) -> Slice {
        let i = integers.pointer + thread * integerStride
        let f = floats.pointer + thread * floatStride
        let starts = i, firsts = starts + channels + 1, cursor = firsts + positions + 1
        let positionsList = cursor + positions, steps = positionsList + entries, sortedSteps = steps + entries
        return Slice(
            starts: starts, positions: positionsList, steps: steps, scales: f, firsts: firsts, cursor: cursor,
            sortedSteps: sortedSteps, sortedScales: f + entries)
    }
}
