import Foundation
import Testing
@testable import TallyActuals

/// The inflater against gzip(1): one member, several members, any chunking,
/// and damaged or cut input refused with a reason.
@Suite struct GzipTests {
    static func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-gzip-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("x")
        try Data(data).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", plain.path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: directory.appendingPathComponent("x.gz")))
    }

    static func inflate(_ bytes: [UInt8], chunk: Int) throws -> [UInt8] {
        let inflater = try GzipInflater(chunk: 4096)
        var out: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            let piece = Array(bytes[start..<end])
            try piece.withUnsafeBytes { input in try inflater.inflate(input) { out.append(contentsOf: $0) } }
            start = end
        }
        try inflater.finish()
        return out
    }

    static func text(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = seed
        return (0..<count).map { _ in
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(97 + (generator >> 59))
        }
    }

    @Test func oneMemberAnyChunking() throws {
        let plain = Self.text(100_000, seed: 7)
        let packed = try Self.gzip(plain)
        for chunk in [1, 7, 4096, packed.count] {
            #expect(try Self.inflate(packed, chunk: chunk) == plain)
        }
    }

    @Test func membersConcatenate() throws {
        let first = Self.text(30_000, seed: 1), second = Self.text(50_000, seed: 2)
        let packed = try Self.gzip(first) + Self.gzip(second)
        #expect(try Self.inflate(packed, chunk: 1000) == first + second)
    }

    @Test func cutAndDamagedInputIsRefused() throws {
        let packed = try Self.gzip(Self.text(20_000, seed: 3))
        #expect(throws: GzipError.truncated) { try Self.inflate(Array(packed.prefix(packed.count / 2)), chunk: 512) }
        var damaged = packed
        damaged[0] = 0
        #expect(throws: GzipError.self) { try Self.inflate(damaged, chunk: 512) }
        #expect(throws: GzipError.self) { try Self.inflate(Array("{\"not\":\"gzip\"}\n".utf8), chunk: 512) }
    }
}
