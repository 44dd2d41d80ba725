import Foundation
#if !FUZZING
import TallyKit
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
