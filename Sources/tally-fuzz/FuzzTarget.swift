import Foundation
#if !FUZZING
import TallyKit
import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax
#endif

// Scripts/fuzz compiles this file with TallyKit's sources in one module,
// `-sanitize=fuzzer -parse-as-library -DFUZZING`: libFuzzer calls the entry
// point below. A plain build replays inputs instead.

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// Half of the mutations are Tally-aware (`FuzzMutator`), half libFuzzer's own
/// byte-level ones, so both well-formed scripts and raw bytes are explored.
@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzCustomMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var random = FuzzMutator.Random(seed: UInt64(seed))
    if random.below(2) == 0 { return libFuzzerMutate(data, size, maxSize) }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let output = FuzzMutator().mutate(input, maxSize: maxSize, random: &random)
    for (i, byte) in output.enumerated() { data[i] = byte }
    return output.count
}
#else
/// Replays inputs, one file each: the regressions the fuzzer found.
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("tally-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            data.withUnsafeBytes { FuzzHarness.run($0) }
            print("replayed \(path)")
        }
    }
}
#endif
