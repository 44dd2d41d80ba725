import Foundation
import Testing

/// Scripts/tally and Scripts/test install what they need quietly: one line
/// saying what, and the installer's own output only when it fails
/// (Scripts/lib/setup.sh, `tally_quietly`). Run against a stand-in apt-get
/// that talks as much as dpkg does.
@Suite struct SetupScriptTests {
    static func install(status: Int) throws -> ProgramRun {
        let bin = NSTemporaryDirectory() + "tally-setup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let aptGet = """
            #!/bin/sh
            i=0
            while [ $i -lt 40 ]; do echo "Selecting previously unselected package $i"; i=$((i+1)); done
            echo "E: a warning on standard error" >&2
            [ "$1" = install ] && exit \(status)
            exit 0
            """
        for (name, body) in [("apt-get", aptGet), ("sudo", "#!/bin/sh\nexec \"$@\"\n")] {
            try body.write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/" + name)
        }
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try runProgram("/bin/bash", ["-c", ". Scripts/lib/setup.sh && tally_apt_install libfoo-dev"],
                              environment: ["PATH": path])
    }

    @Test func anInstallThatWorksSaysOneLine() throws {
        let run = try Self.install(status: 0)
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "tally: installing libfoo-dev with apt-get\n")
    }

    @Test func anInstallThatFailsShowsWhatTheInstallerSaid() throws {
        let run = try Self.install(status: 3)
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("tally: installing libfoo-dev with apt-get\ntally: failed (exit 3): "))
        #expect(run.stderr.contains("Selecting previously unselected package 39\n"))
        #expect(run.stderr.contains("E: a warning on standard error\n"))
    }
}
