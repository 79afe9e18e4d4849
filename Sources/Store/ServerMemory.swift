import Foundation

/// How much of the machine the embedded cluster's buffer cache takes: an eighth of the memory this
/// process may use (a container's cgroup limit when it is lower than the machine's), at least
/// 256 MB and at most 2 GB. An incremental detect touches pages of every session index at random;
/// with 256 MB they were written out and read back within the run (10M events: 6.0 s against
/// 5.0 s with 2 GB, four runs each).
public enum ServerMemory {
    public static let smallestMegabytes: UInt64 = 256
    public static let largestMegabytes: UInt64 = 2048

    /// The buffer cache for a process that may use `memoryBytes`.
    public static func sharedBuffersMegabytes(memoryBytes: UInt64) -> UInt64 {
        min(largestMegabytes, max(smallestMegabytes, (memoryBytes / 8) >> 20))
    }

    /// The machine's memory, or the cgroup's limit (v2 `memory.max`, v1 `memory.limit_in_bytes`)
    /// when lower.
    public static func available(
        physical: UInt64 = ProcessInfo.processInfo.physicalMemory,
        cgroupLimits: [String?] = [
            try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            try? String(contentsOfFile: "/sys/fs/cgroup/memory/memory.limit_in_bytes", encoding: .utf8),
        ]
    ) -> UInt64 {
        // "max" (no limit) and v1's huge "unlimited" value both leave the machine's memory.
        let limits = cgroupLimits.compactMap {
            $0.flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return ([physical] + limits).min() ?? physical
    }
}
