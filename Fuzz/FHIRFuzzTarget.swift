// libFuzzer entry point over FHIR import; what it runs is `FuzzEntry.fhir` in the core library.
// Built by scripts/fuzz.sh together with the core library's sources; not part of the package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fhirFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzEntry.fhir(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
