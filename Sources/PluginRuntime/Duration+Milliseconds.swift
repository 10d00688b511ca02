extension Duration {
    /// The duration in whole milliseconds, truncated (for messages and poll timeouts).
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
