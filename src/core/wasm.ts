/**
 * WebAssembly modules shipped with the code: `npm run build` compiles them (scripts/build-wasm.mjs) into dist
 * beside the JavaScript that loads them. Run from src (tsx), a module is taken from dist's twin of its folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export class WasmLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WasmLoadError";
  }
}

/** The path of a shipped module: beside the caller in dist, or, from src, at the same place under dist. */
export function shippedWasmPath(url: URL): string {
  const here = fileURLToPath(url);
  const built = here.replace(/([/\\])src([/\\])(?!.*[/\\]src[/\\])/, "$1dist$2");
  return existsSync(here) || built === here ? here : built;
}

/** Compiles a shipped module synchronously; a missing or invalid file is a WasmLoadError naming it. */
export function loadShippedWasm(url: URL, hint: string): WebAssembly.Module {
  const path = shippedWasmPath(url);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = readFileSync(path) as Uint8Array<ArrayBuffer>;
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : (error as Error).message;
    throw new WasmLoadError(`${path}: ${cause}; ${hint}`);
  }
  try {
    return new WebAssembly.Module(bytes);
  } catch (error) {
    throw new WasmLoadError(`${path}: not a valid WebAssembly module (${(error as Error).message}); ${hint}`);
  }
}

/** Which kernels CALDP_WASM chooses: "wasm" (unset or 1, the default), "typescript" (0), or the error naming it. */
export function chosenKernels(): "wasm" | "typescript" | WasmLoadError {
  const setting = process.env["CALDP_WASM"] ?? "";
  if (setting === "0") return "typescript";
  if (setting === "" || setting === "1") return "wasm";
  return new WasmLoadError(`CALDP_WASM=${setting}: expected 0 (TypeScript kernels) or 1 (WebAssembly, the default)`);
}
