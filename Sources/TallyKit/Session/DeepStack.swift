import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scripts nest up to 128 levels (`Parser.maximumDepth`), and each level is a
/// few frames of the parser and the evaluator. The main thread's 8 MiB hold
/// that many times over, but a Swift concurrency worker has 512 KiB, which a
/// debug build's frames fill at about 110 levels. So a script's parsing and
/// evaluation run on a thread of their own with a stack that holds the
/// deepest script, whatever thread embeds Tally.
enum DeepStack {
    static let size = 64 << 20

    /// Runs `body` on a thread with a stack of `size` bytes and returns its
    /// result; on the calling thread if no thread can be made.
    static func run<T>(_ body: () -> T) -> T {
        var result: T?
        withoutActuallyEscaping({ result = body() }) { work in
            let job = Unmanaged.passRetained(Job(work))
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            guard pthread_attr_setstacksize(&attributes, size) == 0,
                  pthread_create(&thread, &attributes, { raw in
                      raw.map { Unmanaged<Job>.fromOpaque($0).takeRetainedValue().work() }
                      return nil
                  }, job.toOpaque()) == 0
            else {
                job.release()
                work()
                return
            }
            #if canImport(Glibc)
            pthread_join(thread, nil)
            #else
            if let thread { pthread_join(thread, nil) }
            #endif
        }
        // `work` always ran and set it.
        guard let result else { preconditionFailure("DeepStack: the work did not run") }
        return result
    }

    final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }
}
