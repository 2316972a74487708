// libFuzzer entry point over plan source; what it runs is `FuzzEntry.plan` in the core library.
// Built by scripts/fuzz.sh together with the core library's sources; not part of the package.

@_cdecl("LLVMFuzzerTestOneInput")
public func regimenFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzEntry.plan(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
