/// The processor a release build of the engine was compiled for (Package.swift's `-target-cpu`):
/// the same layer's fastest algorithm differs between the AVX-512 and AVX2 builds, so the
/// autotuner's cache keeps its choices per build as well as per processor.
public enum BuildTarget {
    public static var name: String {
        #if BUILD_TARGET_ZNVER4
        "znver4"
        #elseif BUILD_TARGET_HASWELL
        "haswell"
        #elseif BUILD_TARGET_X86_64
        "x86-64"
        #elseif DEBUG
        "debug"
        #else
        "other"
        #endif
    }
}
