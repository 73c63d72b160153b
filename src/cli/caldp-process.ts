#!/usr/bin/env node
// The CALDP entry point `caldp-process <dataset> [input] [output] [config]` arrives with the pipeline
// (issue 4). Until then it says so and exits with CALDP's generic error code rather than pretend.
console.error("caldp-process: the processing pipeline is not built yet; see `caldp --help` for what is available");
process.exitCode = 1;
