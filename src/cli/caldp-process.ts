#!/usr/bin/env node
import { caldpProcess } from "../pipeline/caldp-process.js";

process.exitCode = await caldpProcess(process.argv.slice(2), process.cwd(), process.env);
