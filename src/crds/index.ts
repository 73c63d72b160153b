/** Public API of CRDS best-reference selection. */
import { type CacheLayout, cacheLayout, mappingPath } from "./cache.js";
import { type LoadOptions, type Mapping, MappingLoader } from "./loader.js";

export { type BestRefsOptions, getBestReferences } from "./bestrefs.js";
export * from "./cache.js";
export { mappingChecksum, verifyMappingChecksum } from "./checksum.js";
export { conditionHeader, conditionValue } from "./conditioning.js";
export {
  type ContextInfo,
  NoContextError,
  noContextMessage,
  type ResolveContextOptions,
  resolveContext,
  selectContextSpec,
} from "./context.js";
export { type BestReferences, InstrumentContext, PipelineContext } from "./contexts.js";
export { datasetParameters, type HeaderCard } from "./dataset-params.js";
export * from "./errors.js";
export { type LoadOptions, loadMapping, type Mapping, MappingLoader } from "./loader.js";
export { parseMapping, parsePythonLiteral } from "./parser.js";
export { pythonFloatRepr } from "./python-format.js";
export { type BestRef, ReferenceMapping } from "./reference-mapping.js";
export * from "./server-client.js";

export interface LoadContextOptions extends LoadOptions {
  /** Cache used for bare mapping names (default: from the environment). */
  layout?: CacheLayout;
}

/**
 * Loads a context and its whole closure. A bare name ('hst_0729.pmap') is looked up in the cache's
 * mappings directory; a path is read as given and its nested mappings are looked up beside it.
 */
export function loadContext(nameOrPath: string, options: LoadContextOptions = {}): Mapping {
  const isPath = nameOrPath.includes("/");
  const layout = options.layout ?? (isPath ? undefined : cacheLayout());
  const loader = new MappingLoader({
    ...options,
    locateMapping: options.locateMapping ?? (layout ? (name) => mappingPath(layout, name) : undefined),
  });
  return loader.load(isPath ? nameOrPath : mappingPath(layout!, nameOrPath));
}
export * from "./file-bestrefs.js";
