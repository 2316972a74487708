// A release-built Swift program that does nothing: the benchmarks' reference for process start-up.
