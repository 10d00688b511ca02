import Foundation
import PluginNative
import Synchronization

/// An instance whose plugin state lives in a plugin-host child.
///
/// The server keeps what recreates it: its context (for host services) and its config. After
/// the child is replaced, the next call creates it again in the new child before calling
/// the hook, so a restart is invisible to namespaces except for the failed call.
final class RemoteInstance: Sendable {
    let id: UInt64
    let context: NativeContext
    let config: [UInt8]
    /// The generation of the child the instance exists in, if any.
    let boundGeneration = Mutex<UInt64?>(nil)
    /// Serializes (re)creation in a new child. Held across the create round trip on purpose:
    /// a second call on the same instance must wait for it rather than reach the child before
    /// the instance exists. Only plugin threads take it, and the call deadline bounds it.
    let bindLock = NSLock()

    init(id: UInt64, context: NativeContext, config: [UInt8]) {
        self.id = id
        self.context = context
        self.config = config
    }
}
