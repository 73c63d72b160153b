#!/usr/bin/env node
import { caldpProcess } from "../pipeline/caldp-process.js";
import { exitOnUncaught } from "./error-output.js";

exitOnUncaught("caldp-process");

process.exitCode = await caldpProcess(process.argv.slice(2), process.cwd(), process.env);
